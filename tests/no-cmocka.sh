# Stands in for the unit tests when configure found no cmocka.
echo "FAIL: the unit tests need cmocka: install it (Debian: apt-get install libcmocka-dev) and run configure again" >&2
exit 1
