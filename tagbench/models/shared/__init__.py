"""What every family of baselines shares: configs, params, persistence, the registry and the
training loop (one folder, so a stage depends on it as a whole)."""
