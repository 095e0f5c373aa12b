"""TF-IDF features feeding one scikit-learn classifier."""
