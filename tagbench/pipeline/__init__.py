"""What runs the DVC pipeline: params and their checks, artifact paths, stage deps, tuning."""
