"""Equations of the sensor element: compartment transport, electrode reactions, cell balances.

One set of equations serves the steady state (:func:`mixpot.steady_state` finds the zero of
:meth:`SensorModel.residuals`) and the transient simulation (which integrates the same
balances with the cell gas volumes and double-layer capacitances as storage terms).

Model (SI units, vectorised over operating points ``p`` and cells ``i``):

* **Species transport** through the barrier and the chamber (radial finite volumes, see
  :mod:`mixpot.sensor.grid`): molecular (mixture-averaged, Cantera data) and Knudsen
  diffusion combined by Bosanquet, and the Stefan (net molar) flow of the isobaric dusty-gas
  model, N_s = -c D_eff dx_s/dr + beta_s x_s N_tot with beta_s = D_eff/D_m. Between cell
  centres the flux is the exact solution of this 1-D convection-diffusion law
  (Scharfetter-Gummel form, F = G c [x_L B(-Pe) - x_R B(Pe)], B(z) = z/(e^z - 1),
  Pe = beta N_tot/(G c)), so the O2 limiting current follows ln(1/(1-x)) exactly.
* **Electrodes** on the chamber faces (inner pump electrode on top, measuring electrode at the
  bottom), per cell: the O2 couple (Butler-Volmer, cathodic limit by transverse diffusion),
  the irreversible electro-oxidation of each fuel, and its catalytic (non-electrochemical)
  oxidation with gas O2 (clean-Pt sticking x free-site fraction^n of the O-covered metal in
  the lean chamber x Pt-Au activity), in series with transverse mass transfer across the gap,
  k_m = (pi^2/4) D/h: the chamber has no axial flow, so this is transverse diffusion across a
  slab with one strongly reacting wall facing a weakly reacting one, whose slowest mode
  cos(pi z/2h) relates the wall flux to the gap-average concentration (Crank, *The
  Mathematics of Diffusion*, 2nd ed. (1975), Sect. 4.3.2; pi^2/2 if both walls were equally
  strong sinks).
* **Cell balances**: F_in - F_out - consumption = 0 for every tracked species (O2 and the
  oxidizable species present); products (CO2, H2O, N2) are not tracked but their moles enter
  the Stefan flow. The measuring electrode carries no net current; the inner pump electrode
  carries the pump current.

Sign conventions: anodic currents positive; the pump current I_p is positive when O2 is
pumped out of the compartment (cathodic at the inner pump electrode); radial fluxes positive
from the access hole into the chamber.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

import numba
import numpy as np
from numpy.typing import NDArray

from mixpot.constants import ATMOSPHERE, FARADAY, GAS_CONSTANT
from mixpot.design import Design, Electrode, Operation
from mixpot.electrode import (
    ADSORPTION_SITES,
    O2ExchangeKinetics,
    catalytic_rate_constant,
    double_layer_capacitance,
    o2_couple_current,
    o2_exchange_current_density,
    o2_pressure_from_potential,
    pt_free_site_fraction,
)
from mixpot.electrode.couples import (
    FUEL_COUPLES,
    couple_rate_constant,
    couple_standard_potential,
)
from mixpot.electrode.kinetics import arrhenius
from mixpot.electrode.material import FUEL_OXIDATION_KINETICS, oxidation_activity
from mixpot.gas.mixture import Composition
from mixpot.gas.species import OXIDIZABLE, SPECIES, get
from mixpot.sensor.grid import RadialGrid, radial_grid
from mixpot.transport import binary_diffusion_matrix, knudsen_diffusion_coefficient

Array = NDArray[np.float64]

O2_FLOOR = 1e-300
"""Smallest O2 mole fraction of the O2-couple kinetics [-]: at and below it (an O2-free or a
negative trial value) the current is that of this O2, whose limit x -> 0 is finite (the O2
evolved sets its own surface pressure, :func:`mixpot.electrode.kinetics.o2_couple_current`)."""

GAP_SHERWOOD = np.pi**2 / 4.0
"""k_m h / D between the gap-average concentration and a strongly reacting wall facing a weakly
reacting one, without flow along the gap: first eigenvalue of slab diffusion (Crank 1975,
Sect. 4.3.2) [-]."""


def bernoulli(z: Array) -> Array:
    """Return B(z) = z/(exp(z) - 1), with B(0) = 1, overflow-safe.

    Parameters
    ----------
    z : numpy.ndarray
        Argument [-].

    Returns
    -------
    numpy.ndarray
        B(z) [-].

    References
    ----------
    .. [1] D. L. Scharfetter, H. K. Gummel, IEEE Trans. Electron Devices 16 (1969) 64.

    Examples
    --------
    >>> float(bernoulli(np.array(0.0)))
    1.0
    """
    z = np.asarray(z, dtype=float)
    small = np.abs(z) < 1e-6
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        big = z / np.expm1(np.where(small, 1.0, z))
    return np.where(small, 1.0 - z / 2.0, np.where(z > 700.0, 0.0, big))


@dataclass(frozen=True)
class ModelOptions:
    """Explicit model choices of the element equations (switch effects off to size them).

    Attributes
    ----------
    stefan_flow : bool
        Include the net molar (Stefan) flow in the transport (True: physical).
    pump_electrode_fuel_oxidation : bool
        Include the electrochemical oxidation of the oxidizable gas at the inner pump electrode
        (True: physical).
    """

    stefan_flow: bool = True
    pump_electrode_fuel_oxidation: bool = True


@dataclass(frozen=True)
class ElectrodeKinetics:
    """Kinetic coefficients of one electrode, per tracked fuel (axis 0) and point (axis 1)."""

    catalytic: Array  # surface rate constant of catalytic oxidation [m/s], (K, P)
    ec_unit: Array  # electro-oxidation current density at x = 1 and E = E_O2,eq [A/m^2], (K, P)
    ec_alpha: Array  # anodic transfer coefficient [-], (K, 1)
    o2_i0_factor: Array  # i0 of O2 couple / (pO2/p_ref)^m [A/m^2], (P,)
    couple: Array  # rate constant k_s of the reversible fuel/product couple [m/s], (K, P)
    o2_catalytic: Array  # O2 adsorption rate constant of the metal (catalytic O supply) [m/s], (P,)


@dataclass(frozen=True)
class SensorModel:
    """The element's equations for a batch of operating points (layer-3 building block).

    Build with :func:`build_model`. Axes: fuels K (``fuels``), points P, cells N.
    """

    design: Design
    grid: RadialGrid
    fuels: tuple[str, ...]
    temperature: Array  # (P,)
    pressure: Array  # (P,)
    concentration: Array  # total molar concentration P/(RT) [mol/m^3], (P,)
    x_exhaust: Array  # exhaust mole fractions of O2 + fuels, (1 + K, P)
    conductance: Array  # face conductance G [m^3/s], (1 + K, P, N) (face i = left of cell i)
    beta: Array  # Stefan coefficient D_eff/D_m at faces [-], (1 + K, P, N)
    mass_transfer: Array  # transverse k_m [m/s], (1 + K, P, N)
    ipe: ElectrodeKinetics
    me: ElectrodeKinetics
    o2_kinetics: O2ExchangeKinetics
    electrons: Array  # z_k, (K, 1, 1)
    o2_demand: Array  # (K, 1, 1)
    moles_cat: Array  # gas moles created per fuel molecule burned catalytically, (K, 1, 1)
    moles_ec: Array  # ... per fuel molecule oxidised electrochemically, (K, 1, 1)
    reference_p_o2: Array  # (P,) [Pa]
    couple_e0: Array  # standard potential of each fuel's couple vs the reference [V], (K, P)
    couple_product: Array  # mole fraction of the couple's product (H2O, CO2) [-], (K, P)
    couple_alpha: Array  # anodic transfer coefficient of the couple [-], (K, 1, 1)
    couple_electrons: Array  # electrons n of the couple [-], (K, 1, 1)
    options: ModelOptions = ModelOptions()

    def take(self, index: NDArray[np.intp]) -> SensorModel:
        """Return the model restricted to the points ``index`` (for active-set iteration)."""
        return replace(
            self,
            temperature=self.temperature[index],
            pressure=self.pressure[index],
            concentration=self.concentration[index],
            x_exhaust=self.x_exhaust[:, index],
            conductance=self.conductance[:, index],
            beta=self.beta[:, index],
            mass_transfer=self.mass_transfer[:, index],
            ipe=_take_kinetics(self.ipe, index),
            me=_take_kinetics(self.me, index),
            reference_p_o2=self.reference_p_o2[index],
            couple_e0=self.couple_e0[:, index],
            couple_product=self.couple_product[:, index],
        )

    @property
    def f(self) -> Array:
        """F/(RT) per point [1/V]."""
        return FARADAY / (GAS_CONSTANT * self.temperature)

    # ------------------------------------------------------------------ transport
    def flux_coefficients(self, n_tot: Array) -> tuple[Array, Array]:
        """Return (a, b) with face flux F_i = a_i x_{i-1} - b_i x_i [mol/s], shape (1+K, P, N).

        ``n_tot`` is the net molar flow through each face [mol/s], shape (P, N).
        """
        gc = self.conductance * self.concentration[None, :, None]
        flow = n_tot[None] if self.options.stefan_flow else 0.0 * n_tot[None]
        pe = self.beta * flow / gc
        return gc * bernoulli(-pe), gc * bernoulli(pe)

    def face_fluxes(self, x: Array, n_tot: Array) -> Array:
        """Radial fluxes through faces 0..N-1 [mol/s] for mole fractions ``x`` (1+K, P, N)."""
        a, b = self.flux_coefficients(n_tot)
        left = np.concatenate([self.x_exhaust[:, :, None], x[:, :, :-1]], axis=2)
        return a * left - b * x

    def cell_terms(self, x: Array, e_ipe: Array, e_me: Array) -> tuple[Array, Array, Array, Array]:
        """Per-cell reaction terms of a state.

        Parameters
        ----------
        x : numpy.ndarray
            Mole fractions of O2 and the fuels, shape (1+K, P, N) [-].
        e_ipe, e_me : numpy.ndarray
            Potentials of the inner pump and the measuring electrode vs the reference, (P,) [V].

        Returns
        -------
        consumption : numpy.ndarray
            Consumption of each tracked species per cell [mol/s], (1+K, P, N).
        moles : numpy.ndarray
            Net gas moles created per cell [mol/s], (P, N) (source of the Stefan flow).
        current_ipe, current_me : numpy.ndarray
            Net current density of each electrode per cell [A/m^2], (P, N), anodic positive.
        """
        area = self.grid.electrode_area
        c = self.concentration[None, :, None]
        ei, em = e_ipe[:, None], e_me[:, None]
        i_i, _ = self.o2_current(ei, x[0], "ipe")
        i_m, _ = self.o2_current(em, x[0], "me")
        consumption = np.zeros_like(x)
        consumption[0] = -(i_i + i_m) * area / (4.0 * FARADAY)
        moles = (i_i + i_m) * area / (4.0 * FARADAY)
        current_ipe, current_me = i_i, i_m
        if self.fuels:
            ti, tm = self.fuel_terms(ei, x, "ipe"), self.fuel_terms(em, x, "me")
            xf = x[1:]
            total = (
                ((ti.consumption + tm.consumption) * xf - ti.production - tm.production) * area * c
            )
            cat = (
                ((ti.catalytic + tm.catalytic) * xf + ti.catalytic_source + tm.catalytic_source)
                * area
                * c
            )
            consumption[1:] = total
            consumption[0] = consumption[0] + np.sum(self.o2_demand * cat, axis=0)
            moles = moles + np.sum(self.moles_cat * cat + self.moles_ec * (total - cat), axis=0)
            current_ipe = current_ipe + ti.current
            current_me = current_me + tm.current
        return consumption, moles, current_ipe, current_me

    def electrode_current(self, e: Array, x: Array, which: str) -> tuple[Array, Array]:
        """Net current of an electrode at potential ``e`` and its derivative.

        Parameters
        ----------
        e : numpy.ndarray
            Electrode potential vs the reference (P,) [V].
        x : numpy.ndarray
            Mole fractions (1+K, P, N) [-].
        which : {"ipe", "me"}
            Inner pump or measuring electrode.

        Returns
        -------
        current : numpy.ndarray
            Sum over the electrode's cells of the O2-couple and fuel currents (P,) [A],
            anodic positive.
        dcurrent_dE : numpy.ndarray
            Its derivative with respect to ``e`` (P,) [A/V].
        """
        area = self.grid.electrode_area
        i, di = self.o2_current(e[:, None], x[0], which)
        if self.fuels:
            terms = self.fuel_terms(e[:, None], x, which)
            i = i + terms.current
            di = di + terms.dcurrent_dE
        return np.sum(i * area, -1), np.sum(di * area, -1)

    def path_capacity(self) -> Array:
        """Capacity of the radial path for each tracked species, G_s c x_exhaust (1+K, P) [mol/s].

        ``G_s`` is the series conductance of all faces: the flow that would enter with the
        species' exhaust level against an empty chamber (its limiting flow without Stefan
        flow). A flow scale that stays when the net inflow vanishes.
        """
        series = 1.0 / np.sum(1.0 / self.conductance, axis=-1)  # the whole radial path
        return series * self.concentration[None, :] * self.x_exhaust

    def lean_cavity(self) -> NDArray[np.bool_]:
        """Whether the path brings at least as much O2 as its fuels' flows take (P,) [-].

        Compares the O2 capacity with the sum of the fuels' capacities times their O2 demand
        (:meth:`path_capacity`): the side of stoichiometry that the cavity reaches when the
        electrodes burn all they receive (fuels that diffuse faster than O2, such as H2, can
        make a lean exhaust's cavity rich).
        """
        capacity = self.path_capacity()
        return capacity[0] >= np.sum(self.o2_demand[:, :, 0] * capacity[1:], axis=0)

    def balance_residual(
        self,
        x: Array,
        e_ipe: Array,
        e_me: Array,
        n_tot: Array,
        storage: Array | None = None,
        me_storage: Array | None = None,
    ) -> Array:
        """Largest relative residual of the species balances and the measuring electrode (P,).

        Species: max over species and cells of |F_in - F_out - consumption| divided by the
        total inflow of tracked species, plus the radial path's capacity ``G_s c x_exhaust``
        (``G_s`` the series conductance of all faces: the flow into an empty chamber, a scale
        that stays when the net inflow vanishes, e.g. exhaust O2 at the chamber setpoint),
        plus the pump's O2 flow. Measuring electrode: net
        current divided by the sum of the magnitudes of its O2 and fuel currents.

        Parameters
        ----------
        x : numpy.ndarray
            Mole fractions (1+K, P, N) [-].
        e_ipe, e_me : numpy.ndarray
            Electrode potentials (P,) [V].
        n_tot : numpy.ndarray
            Net molar flow through the faces (P, N) [mol/s].
        storage : numpy.ndarray, optional
            Rate of change of the species hold-up, c V dx/dt (1+K, P, N) [mol/s] (time step).
        me_storage : numpy.ndarray, optional
            Double-layer charging current of the measuring electrode (P,) [A] (time step).

        Returns
        -------
        numpy.ndarray
            Relative residual [-] per point.
        """
        area = self.grid.electrode_area
        consumption, _, cur_i, cur_m = self.cell_terms(x, e_ipe, e_me)
        flux = self.face_fluxes(x, n_tot)
        out = np.concatenate([flux[..., 1:], np.zeros_like(flux[..., :1])], -1)
        res = flux - out - consumption
        if storage is not None:
            res = res - storage
        pump = np.abs(np.sum(cur_i * area, -1)) / (4.0 * FARADAY)
        scale = np.sum(np.abs(flux[..., 0]) + self.path_capacity(), axis=0) + pump + 1e-30
        species = np.max(np.abs(res), axis=(0, 2)) / scale
        i_m, _ = self.o2_current(e_me[:, None], x[0], "me")
        me_scale = np.sum((np.abs(i_m) + np.abs(cur_m - i_m)) * area, -1) + 1e-18
        net_me = np.sum(cur_m * area, -1) + (0.0 if me_storage is None else me_storage)
        electrode = np.abs(net_me) / me_scale
        return np.maximum(species, electrode)

    def rhs(
        self, x: Array, e_ipe: Array, e_me: Array, pump_current: Array
    ) -> tuple[Array, Array, Array]:
        """Time derivatives of the element state (the equations the transient integrates).

        The steady state found by :func:`mixpot.steady_state` is the zero of this right-hand
        side with the settled pump current.

        * Species in every cell: ``c V dx/dt = F_in - F_out - consumption`` (isobaric, the net
          molar flow follows the cell sources).
        * Electrode potentials (double-layer charging, Robertson & Michaels 1991 capacitance):
          ``C_dl A_e dE_me/dt = -sum(A i_me)`` (no external current) and
          ``C_dl A_e dE_ipe/dt = -(sum(A i_ipe) + I_p)`` (the pump current I_p, positive when O2
          is pumped out, leaves the inner electrode cathodically).

        Parameters
        ----------
        x : numpy.ndarray
            Mole fractions (1+K, P, N) [-].
        e_ipe, e_me : numpy.ndarray
            Electrode potentials vs the reference (P,) [V].
        pump_current : numpy.ndarray
            Pump current (P,) [A].

        Returns
        -------
        dx_dt : numpy.ndarray
            [1/s], shape of ``x``.
        de_ipe_dt, de_me_dt : numpy.ndarray
            [V/s], (P,).
        """
        area = self.grid.electrode_area
        consumption, moles, cur_i, cur_m = self.cell_terms(x, e_ipe, e_me)
        n_tot = -np.cumsum(moles[:, ::-1], axis=-1)[:, ::-1]
        flux = self.face_fluxes(x, n_tot)
        out = np.concatenate([flux[..., 1:], np.zeros_like(flux[..., :1])], -1)
        holdup = self.concentration[None, :, None] * self.grid.volume
        dx_dt = (flux - out - consumption) / holdup
        capacitance = double_layer_capacitance(self.temperature) * area.sum()
        de_ipe = -(np.sum(cur_i * area, -1) + pump_current) / capacitance
        de_me = -np.sum(cur_m * area, -1) / capacitance
        return dx_dt, de_ipe, de_me

    # ------------------------------------------------------------------ electrodes
    def _o2_equilibrium_potential(self, p_o2: Array) -> Array:
        """Return (RT/4F) ln(pO2/pO2_ref) per cell [V], unchecked (hot loop).

        Same as :func:`mixpot.electrode.o2_equilibrium_potential`; p_o2 > 0 by construction.
        """
        return np.log(p_o2 / self.reference_p_o2[:, None]) / (4.0 * self.f[:, None])

    def o2_current(self, e: Array, x_o2: Array, which: str) -> tuple[Array, Array]:
        """O2-couple current density [A/m^2] and d/dE at electrode ``which`` ("ipe"/"me").

        ``e`` (P, 1) or (P, N) is the electrode potential vs the reference [V], ``x_o2`` (P, N).
        """
        kin = self.ipe if which == "ipe" else self.me
        x_o2 = np.maximum(x_o2, O2_FLOOR)  # O2 evolution stays finite in an O2-free gas
        p_o2 = x_o2 * self.pressure[:, None]
        m = self.o2_kinetics.pressure_order
        i0 = kin.o2_i0_factor[:, None] * (p_o2 / self.o2_kinetics.reference_pressure) ** m
        e_eq = self._o2_equilibrium_potential(p_o2)
        i_lim = 4.0 * FARADAY * self.mass_transfer[0] * self.concentration[:, None] * x_o2
        return o2_couple_current(
            e,
            i0,
            self.o2_kinetics.alpha_a,
            self.o2_kinetics.alpha_c,
            e_eq,
            self.f[:, None],
            i_lim,
        )

    def fuel_terms(self, e: Array, x: Array, which: str) -> FuelTerms:
        """Fuel reactions at an electrode, per fuel and cell, as affine functions of x_fuel.

        Surface channels of each fuel (rate constants per gap-average concentration, [m/s]):
        catalytic oxidation ``k_c`` (limited by the O2 the metal can adsorb, see below), the
        irreversible electro-oxidation ``k_e`` (rising as ``exp(alpha f (E - E_O2,eq))``) and,
        for H2 and CO, the reversible couple with forward ``k_f`` and backward (product
        reduction) ``b`` (:mod:`mixpot.electrode.couples`). Transverse mass transfer ``k_m`` in
        series gives the wall mole fraction ``x_w = (k_m x + b)/T``, ``T = k_m + k_c + k_e +
        k_f``, and the rates ``k_c x_w``, ``k_e x_w`` and ``k_f x_w - b``, all affine in the
        gap-average ``x``.

        O2 supply of catalysis: the catalytic channel needs adsorbed oxygen. Its O2 uptake is
        the series (harmonic) combination of the fuels' demand ``D = sum nu k_c' x`` and the
        metal's O2 adsorption ``S = k_O x_O2`` (clean-surface sticking 0.07, Chatterjee et al.
        2001, with transverse transfer in series): ``k_c`` is scaled by ``S/(S + D)``. In lean
        gas ``S >> D`` and nothing changes; in a rich chamber catalysis stops where O2 runs out
        instead of burning fuel with oxygen that is not there (*estimate* of the two limits of
        Langmuir-Hinshelwood kinetics).

        Parameters
        ----------
        e : numpy.ndarray
            Electrode potential vs the reference (P, 1) or (P, N) [V].
        x : numpy.ndarray
            Mole fractions (1+K, P, N) [-].
        which : {"ipe", "me"}
            Inner pump or measuring electrode.

        Returns
        -------
        FuelTerms
            Coefficients (K, P, N) and the electrode's fuel current density (P, N).
        """
        kin = self.ipe if which == "ipe" else self.me
        f = self.f[:, None]
        p_o2 = np.maximum(x[0], 1e-300) * self.pressure[:, None]
        eta = np.clip(e - self._o2_equilibrium_potential(p_o2), -5.0, 5.0)
        c = self.concentration[None, :, None]
        ks_e = (
            kin.ec_unit[:, :, None]
            * np.exp(kin.ec_alpha[:, :, None] * f[None] * eta[None])
            / (self.electrons * FARADAY * c)
        )
        nf = self.couple_electrons * f[None]
        u = np.clip(nf * (e[None] - self.couple_e0[:, :, None]), -700.0, 700.0)
        ks_f = kin.couple[:, :, None] * np.exp(self.couple_alpha * u)
        b = (
            kin.couple[:, :, None]
            * self.couple_product[:, :, None]
            * np.exp(-(1.0 - self.couple_alpha) * u)
        )
        if which == "ipe" and not self.options.pump_electrode_fuel_oxidation:
            ks_e, ks_f, b = 0.0 * ks_e, 0.0 * ks_f, 0.0 * b
        km = self.mass_transfer[1:]
        ks_c = kin.catalytic[:, :, None] * np.ones_like(km)
        demand = np.sum(self.o2_demand * ks_c * km / (ks_c + km + 1e-300) * x[1:], axis=0)
        km0 = self.mass_transfer[0]
        ko = kin.o2_catalytic[:, None] * km0 / (kin.o2_catalytic[:, None] + km0 + 1e-300)
        supply = ko * np.maximum(x[0], 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(demand > 0.0, supply / (supply + demand), 1.0)
        ks_c = ks_c * share[None]
        total = km + ks_c + ks_e + ks_f + 1e-300
        dks_e = kin.ec_alpha[:, :, None] * f[None] * ks_e
        dks_f = self.couple_alpha * nf * ks_f
        db = -(1.0 - self.couple_alpha) * nf * b
        x_w = (km * x[1:] + b) / total
        dx_w = (db - x_w * (dks_e + dks_f)) / total
        zfc = self.electrons * FARADAY * c
        nfc = self.couple_electrons * FARADAY * c
        current = zfc * ks_e * x_w + nfc * (ks_f * x_w - b)
        dcurrent = zfc * (dks_e * x_w + ks_e * dx_w) + nfc * (dks_f * x_w + ks_f * dx_w - db)
        return FuelTerms(
            consumption=km * (total - km) / total,
            production=km * b / total,
            catalytic=ks_c * km / total,
            catalytic_source=ks_c * b / total,
            current=np.sum(current, axis=0),
            dcurrent_dE=np.sum(dcurrent, axis=0),
        )


@dataclass(frozen=True)
class FuelTerms:
    """Fuel reactions at one electrode as affine functions of the gap-average mole fraction.

    Per fuel and cell (K, P, N), rates per electrode area and total concentration [m/s x -]:
    consumption of the fuel ``consumption * x - production`` (all channels), of which catalytic
    ``catalytic * x + catalytic_source`` (it takes gas O2); the rest is electrochemical (its
    oxygen comes from the electrolyte). ``current`` is the fuel current density of the
    electrode per cell (P, N) [A/m^2], anodic positive, and ``dcurrent_dE`` its potential
    derivative [A/(m^2 V)].
    """

    consumption: Array
    production: Array
    catalytic: Array
    catalytic_source: Array
    current: Array
    dcurrent_dE: Array


def molar_mixture_diffusion(
    mole_fractions: Array, tracked: tuple[str, ...], temperature_K: Array, pressure_Pa: Array
) -> Array:
    """Mixture-averaged diffusion coefficients for fluxes relative to the molar-average velocity.

    D_km = (1 - x_k) / sum_{j != k} x_j / D_kj (Wilke's formula; exact for a binary mixture and
    for a trace species). The model's fluxes are molar fluxes with the net molar (Stefan) flow
    written separately, which is the frame this form belongs to; Cantera's mass-based
    ``mix_diff_coeffs`` ((1 - Y_k) in the numerator) would make O2 in air diffuse 3 % slower.

    Parameters
    ----------
    mole_fractions : numpy.ndarray
        Exhaust mole fractions of all registry species [-], shape (n_species, P).
    tracked : tuple of str
        Species whose coefficients are wanted.
    temperature_K, pressure_Pa : numpy.ndarray
        Per point [K], [Pa].

    Returns
    -------
    numpy.ndarray
        D_km [m^2/s], shape (len(tracked), P).

    References
    ----------
    .. [1] R. B. Bird, W. E. Stewart, E. N. Lightfoot, *Transport Phenomena*, 2nd ed. (2002),
       Eq. 18.4-23 (Wilke 1950).
    """
    # species absent at every point add exact zeros to the sums: left out
    present = np.any(mole_fractions != 0.0, axis=1)
    names = [s for j, s in enumerate(SPECIES) if s in tracked or present[j]]
    x = mole_fractions[[SPECIES.index(s) for s in names]]
    d = binary_diffusion_matrix(names, temperature_K, pressure_Pa, rows=tracked)  # (T, S', P)
    own = [names.index(s) for s in tracked]
    terms = x / d
    terms[np.arange(len(tracked)), own] = 0.0  # j = k: an exact zero in the sum over j != k
    return (1.0 - x[own]) / np.sum(terms, axis=1)


def _take_kinetics(kin: ElectrodeKinetics, index: NDArray[np.intp]) -> ElectrodeKinetics:
    return ElectrodeKinetics(
        kin.catalytic[:, index],
        kin.ec_unit[:, index],
        kin.ec_alpha,
        kin.o2_i0_factor[index],
        kin.couple[:, index],
        kin.o2_catalytic[index],
    )


def _electrode_kinetics(
    electrodes: tuple[Electrode, ...],
    fuels: tuple[str, ...],
    t: Array,
    p: Array,
    kin: O2ExchangeKinetics,
    free_sites: Array,
) -> list[ElectrodeKinetics]:
    """Kinetic coefficients of several electrodes at the points (P,), all in one pass."""
    w = np.array([e.gold_wt_percent for e in electrodes])[:, None]  # (E, 1)
    rough = np.array([e.roughness_factor for e in electrodes])[:, None]
    shape = (len(electrodes), len(fuels), t.size)  # (E, K, P)

    def per_fuel(rows: list[Array]) -> Array:
        out = np.empty(shape)
        for k, row in enumerate(rows):
            out[:, k] = row
        return out

    cat = per_fuel(
        [catalytic_rate_constant(s, t, w, rough) * free_sites ** ADSORPTION_SITES[s] for s in fuels]
    )
    rows, alphas = [], []
    for s in fuels:
        fk = FUEL_OXIDATION_KINETICS[s]
        k = arrhenius(fk.k_ref, fk.activation_energy, t, fk.reference_temperature)
        rows.append(k * (p / fk.reference_pressure) ** fk.order * oxidation_activity(w, s))
        alphas.append(fk.alpha_a)
        if fk.order != 1.0:
            raise NotImplementedError(f"fuel reaction order {fk.order} of {s}: only 1 supported")
    ec = per_fuel(rows)
    couple = per_fuel([couple_rate_constant(s, t, w) if s in FUEL_COUPLES else 0.0 for s in fuels])
    i0 = o2_exchange_current_density(t, kin.reference_pressure, w, kin)
    o2_cat = catalytic_rate_constant("O2", t, w, rough)
    alpha = np.array(alphas, dtype=float).reshape(-1, 1)
    return [
        ElectrodeKinetics(cat[e], ec[e], alpha, i0[e], couple[e], o2_cat[e])
        for e in range(len(electrodes))
    ]


def _transport(
    grid: RadialGrid, x: Array, tracked: tuple[str, ...], t: Array, p: Array
) -> tuple[Array, Array, Array]:
    """Face conductances G, Stefan coefficients beta and transverse k_m (see build_model).

    ``x`` holds the exhaust mole fractions of all registry species (n_species, P); returns
    arrays of shape (1+K, P, N), views of arrays stored point axis first (the layout of the
    compiled solver, :func:`mixpot.sensor.steady_kernel.pack_points`, which takes them without
    a copy).
    """
    d_m = molar_mixture_diffusion(x, tracked, t, p)  # (1+K, P)
    masses = np.array([get(s).molar_mass for s in tracked])[:, None, None]
    d_k = knudsen_diffusion_coefficient(grid.pore_diameter[None, None, :], t[None, :, None], masses)
    n_s, n_p, n_c = d_k.shape
    g_face, beta, km = (np.empty((n_p, n_s, n_c)) for _ in range(3))
    _faces(
        np.ascontiguousarray(d_m),
        np.ascontiguousarray(d_k),
        grid.half_left,
        grid.half_right,
        np.where(grid.electrode_area > 0.0, grid.height, np.inf),
        g_face,
        beta,
        km,
    )
    return np.moveaxis(g_face, 0, 1), np.moveaxis(beta, 0, 1), np.moveaxis(km, 0, 1)


@numba.njit(cache=True, nogil=True, error_model="numpy")
def _faces(
    d_m: Array,
    d_k: Array,
    half_left: Array,
    half_right: Array,
    gap: Array,
    g_face: Array,
    beta: Array,
    km: Array,
) -> None:  # pragma: no cover - compiled
    """Face conductances, Stefan coefficients and transverse k_m of :func:`_transport`.

    Per species s, point p and cell i, from the molecular (``d_m``, (1+K, P)) and Knudsen
    (``d_k``, (1+K, P, N)) diffusion coefficients: Bosanquet ``D_eff = 1/(1/D_m + 1/D_K)``;
    face conductance ``G_i`` of the two half cells at face i in series (face 0: the first
    half cell), of D_eff (``g_face``) and of D_m (``G_m``); ``beta = G/G_m``;
    ``k_m = (pi^2/4) D_eff/h`` where the cell has an electrode (``gap`` its height h, ``inf``
    where it has none). Outputs point axis first, (P, 1+K, N). Compiled (the NumPy
    expressions' values to a few units in the last place, tested): one pass instead of about
    twenty NumPy passes over (1+K, P, N) arrays, in resistances (1/D_eff = 1/D_m + 1/D_K, the
    half cells' reciprocal factors and G_m's per face computed once), which takes three
    divisions per cell instead of eleven (4.6 -> 1.8 ms for 4 species x 6 cells x 18,001 points).
    """
    n_s, n_p, n_c = d_k.shape
    inv_left, inv_right = 1.0 / half_left, 1.0 / half_right
    halves = np.empty(n_c)  # G_m = D_m / halves: 1/h_left of face 0, then both halves
    halves[0] = inv_left[0]
    for i in range(1, n_c):
        halves[i] = inv_right[i - 1] + inv_left[i]
    sherwood = np.empty(n_c)
    for i in range(n_c):
        sherwood[i] = GAP_SHERWOOD / gap[i] if np.isfinite(gap[i]) else 0.0
    r_eff = np.empty(n_c)  # 1/D_eff
    for p in range(n_p):
        for s in range(n_s):
            inv_dm = 1.0 / d_m[s, p]
            for i in range(n_c):
                r_eff[i] = inv_dm + 1.0 / d_k[s, p, i]
            for i in range(n_c):
                if i == 0:
                    g = half_left[0] / r_eff[0]
                else:
                    g = 1.0 / (r_eff[i - 1] * inv_right[i - 1] + r_eff[i] * inv_left[i])
                g_face[p, s, i] = g
                beta[p, s, i] = g * inv_dm * halves[i]
                km[p, s, i] = sherwood[i] / r_eff[i]


NEAR_STOICHIOMETRIC_O2 = 1e-3
"""Setpoint O2 mole fraction below which a chamber counts as held near lambda 1 [-].

A pump loop that holds the chamber this low (a wideband sensor's 450 mV: about 1e-9) drives
its pump electrode past the O2 limiting current in lean exhaust, where it makes H2 and CO from
H2O and CO2 (:func:`tracked_fuels`); at a lean setpoint (the patent's lambda 1.3: 4.6 % O2) the
electrode stays near the O2 potential and that production is negligible. Any value between the
two serves; 0.1 % is an estimate of where pumping near the limiting current begins."""


def tracked_fuels(design: Design, present: Iterable[str]) -> tuple[str, ...]:
    """Oxidizable species whose chamber profiles the element equations track.

    Those present in the exhaust, plus the fuels of the reversible couples (H2, CO) whose
    products (H2O, CO2) are present when the pump electrode can make them: when the loop does
    not hold that electrode's own potential (``operation.nernst_measurement`` is
    ``"open-circuit"`` or ``"measuring-electrode"``) and holds the chamber near lambda 1 (its
    setpoint O2 at the nominal temperature and 1 atm below :data:`NEAR_STOICHIOMETRIC_O2`).
    Such an electrode is driven beyond the O2 limiting current in lean exhaust and makes H2 and
    CO from H2O and CO2; they decide the Nernst electrode's potential (the cavity gas is
    titrated to lambda = 1, as in a wideband sensor [1]_). Otherwise they are not tracked
    (fewer unknowns).

    Parameters
    ----------
    design : mixpot.design.Design
        The design.
    present : iterable of str
        Species with a nonzero mole fraction somewhere in the exhaust (points or trace).

    Returns
    -------
    tuple of str
        Tracked fuels, in the order of :data:`mixpot.gas.species.OXIDIZABLE`.

    References
    ----------
    .. [1] J. Riegel, H. Neumann, H.-M. Wiedenmann, "Exhaust gas sensors for automotive
       emission control", Solid State Ionics 152-153 (2002) 783 (planar wideband sensor: the
       pump current holds the cavity at lambda = 1, read by the Nernst cell).
    """
    have = set(present)
    products = _makes_couple_products(design.operation)
    return tuple(
        s
        for s in OXIDIZABLE
        if s in have or (products and s in FUEL_COUPLES and FUEL_COUPLES[s].product in have)
    )


@lru_cache(maxsize=64)
def _makes_couple_products(op: Operation) -> bool:
    """Whether the pump electrode makes H2 and CO from H2O and CO2 (see :func:`tracked_fuels`).

    Cached: a pure function of the design's operation.
    """
    # local import: mixpot.steady builds on this module
    from mixpot.steady import _nernst_setpoint, _reference_o2_pressure

    if op.nernst_measurement == "under-current":
        return False
    p_o2 = o2_pressure_from_potential(
        -_nernst_setpoint(op), op.temperature_K, _reference_o2_pressure(op)
    )
    return float(p_o2) / ATMOSPHERE < NEAR_STOICHIOMETRIC_O2


def _couple_products(exhaust: Composition, fuels: tuple[str, ...], n: int) -> Array:
    """Exhaust mole fraction of each fuel couple's product (H2O, CO2; 0 without a couple)."""
    rows = [exhaust[FUEL_COUPLES[s].product] if s in FUEL_COUPLES else np.zeros(n) for s in fuels]
    return np.array(rows, dtype=float).reshape(len(fuels), n)


def with_exhaust(model: SensorModel, exhaust: Composition) -> SensorModel:
    """Return the model for another exhaust composition at the same temperature and pressure.

    Exactly :func:`build_model` for that composition (the same fuels tracked), without
    recomputing what depends on temperature and pressure only (electrode kinetics, couple
    potentials): new boundary values, mixture diffusion coefficients and couple products.

    Parameters
    ----------
    model : SensorModel
        The model to update.
    exhaust : mixpot.gas.Composition
        New exhaust composition, shape (n_species, P) with the model's P points.

    Returns
    -------
    SensorModel
        The updated model.
    """
    tracked = ("O2", *model.fuels)
    g_face, beta, km = _transport(
        model.grid, exhaust.mole_fractions, tracked, model.temperature, model.pressure
    )
    return replace(
        model,
        x_exhaust=np.array([exhaust[s] for s in tracked]),
        conductance=g_face,
        beta=beta,
        mass_transfer=km,
        couple_product=_couple_products(exhaust, model.fuels, model.temperature.size),
    )


def build_model(
    design: Design,
    exhaust: Composition,
    temperature_K: Array,
    pressure_Pa: Array,
    reference_p_o2_Pa: Array,
    chamber_o2_fraction: Array,
    options: ModelOptions | None = None,
    fuels: tuple[str, ...] | None = None,
) -> SensorModel:
    """Assemble the element's equations for flattened operating points.

    Parameters
    ----------
    design : mixpot.design.Design
        The design.
    exhaust : mixpot.gas.Composition
        Exhaust composition, points flattened to shape (n_species, P).
    temperature_K, pressure_Pa, reference_p_o2_Pa : numpy.ndarray
        Per point, shape (P,) [K], [Pa], [Pa].
    chamber_o2_fraction : numpy.ndarray
        O2 mole fraction the chamber is held at [-], shape (P,): sets the oxygen coverage of the
        electrode metal and so its free sites for catalytic fuel oxidation
        (:func:`mixpot.electrode.pt_free_site_fraction`); the pump keeps the chamber there.
    options : ModelOptions, optional
        Model choices; default all physical effects on.
    fuels : tuple of str, optional
        Oxidizable species to track; default :func:`tracked_fuels` of ``exhaust``. A transient
        passes every fuel of its trace, so that a fuel leaving the exhaust still leaves the chamber
        by transport and reaction.

    Returns
    -------
    SensorModel
        Precomputed coefficients.
    """
    grid = radial_grid(design.geometry)
    x = exhaust.mole_fractions
    if fuels is None:
        present = np.any(x.reshape(len(SPECIES), -1) > 0, axis=1)
        fuels = tracked_fuels(design, (s for s, here in zip(SPECIES, present, strict=True) if here))
    tracked = ("O2", *fuels)
    t, p = temperature_K, pressure_Pa
    g_face, beta, km = _transport(grid, x, tracked, t, p)
    o2k = O2ExchangeKinetics()
    p_ref = reference_p_o2_Pa
    free = pt_free_site_fraction(t, chamber_o2_fraction * p)
    ipe, me = _electrode_kinetics(
        (design.inner_pump_electrode, design.measuring_electrode), fuels, t, p, o2k, free
    )
    elec = np.array([get(s).electrons for s in fuels]).reshape(-1, 1, 1)
    demand = np.array([get(s).o2_demand for s in fuels]).reshape(-1, 1, 1)
    prod = np.array(
        [get(s).elements["C"] + get(s).elements["H"] / 2 + get(s).elements["N"] / 2 for s in fuels]
    ).reshape(-1, 1, 1)
    return SensorModel(
        design=design,
        grid=grid,
        fuels=fuels,
        temperature=t,
        pressure=p,
        concentration=p / (GAS_CONSTANT * t),
        x_exhaust=np.array([exhaust[s] for s in tracked]),
        conductance=g_face,
        beta=beta,
        mass_transfer=km,
        ipe=ipe,
        me=me,
        o2_kinetics=o2k,
        electrons=elec,
        o2_demand=demand,
        moles_cat=prod - 1.0 - demand,
        moles_ec=prod - 1.0,
        reference_p_o2=reference_p_o2_Pa,
        couple_e0=np.array(
            [
                couple_standard_potential(s, t, p_ref) if s in FUEL_COUPLES else np.zeros_like(t)
                for s in fuels
            ]
        ).reshape(len(fuels), t.size),
        couple_product=_couple_products(exhaust, fuels, t.size),
        couple_alpha=np.array(
            [FUEL_COUPLES[s].alpha if s in FUEL_COUPLES else 0.5 for s in fuels]
        ).reshape(-1, 1, 1),
        couple_electrons=np.array(
            [FUEL_COUPLES[s].electrons if s in FUEL_COUPLES else 2 for s in fuels], dtype=float
        ).reshape(-1, 1, 1),
        options=ModelOptions() if options is None else options,
    )
