"""How good a trained baseline is: metrics, thresholds, slices, behaviour, explanations,
noise and comparisons."""
