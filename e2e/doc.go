// Package e2e drives the real mppmap binary in headless Chromium, as a user meets it: build,
// start `mppmap serve` on an empty database, wait until it has imported the reference data,
// open the pages, and check that they draw without errors and without touching another host.
//
// The tests need a test cluster (MPPMAP_TEST_DATABASE_URL, set by `make test`) and Debian's
// /usr/bin/chromium. Set MPPMAP_E2E_URL to run them against a server that is already up.
// Screenshots go to MPPMAP_ARTIFACTS (default: the test's temporary directory).
package e2e
