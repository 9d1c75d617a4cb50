# Imported by test_sandbox.py from the test files' own directory (not a test file).
VALUE = 'imported without a read grant'
