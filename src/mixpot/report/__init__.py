"""Reports: files and plots written from results (NetCDF, CSV, PNG), always atomically."""
