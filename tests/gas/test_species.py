import pytest

from mixpot.gas import species


def test_registry_has_required_species():
    required = {"N2", "O2", "H2O", "CO2", "CO", "H2", "C3H6", "C3H8", "CH4", "NH3", "NO"}
    assert required <= set(species.SPECIES)


@pytest.mark.parametrize(
    ("name", "molar_mass_g", "electrons"),
    [
        # molar masses from IUPAC standard atomic weights: C 12.011, H 1.008, O 15.999, N 14.007
        ("C3H6", 3 * 12.011 + 6 * 1.008, 18),  # C3H6 + 9 O2- -> 3 CO2 + 3 H2O + 18 e-
        ("C3H8", 3 * 12.011 + 8 * 1.008, 20),
        ("CH4", 12.011 + 4 * 1.008, 8),
        ("CO", 12.011 + 15.999, 2),
        ("H2", 2 * 1.008, 2),
        ("NH3", 14.007 + 3 * 1.008, 3),  # 2 NH3 + 3 O2- -> N2 + 3 H2O + 6 e-
    ],
)
def test_oxidation_stoichiometry_and_molar_mass(name, molar_mass_g, electrons):
    sp = species.get(name)
    assert sp.molar_mass == pytest.approx(molar_mass_g * 1e-3, rel=2e-4)
    assert sp.electrons == electrons
    assert sp.oxidizable
    assert set(species.OXIDIZABLE) >= {name}


def test_oxidants_have_negative_demand():
    assert species.get("O2").o2_demand == -1.0
    assert species.get("NO").o2_demand == -0.5
    assert species.get("H2O").o2_demand == 0.0
    assert not species.get("CO2").oxidizable


def test_transport_data_present():
    # GRI-Mech 3.0 transport data, and propene = propane per Sandia tran.dat
    assert species.get("O2").well_depth == pytest.approx(107.4)
    assert species.get("C3H6").diameter == pytest.approx(4.982e-10)


def test_unknown_species_is_a_clear_error():
    with pytest.raises(KeyError, match="unknown species 'C8H18'"):
        species.get("C8H18")
