"""Test helpers, out of the way of the test files: fakes for the model seams, and more."""
