"""Studies over many trainings: k-fold cross-validation and the noise floor (each baseline
retrained under other seeds and splits). Above models and evaluation; only the cv@ and noise@
stages and `tagbench` commands import it."""
