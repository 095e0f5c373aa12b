"""What people read: the tradeoff report, its figures and the README's tables."""
