package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"mppmap/data/datatest"
	"mppmap/data/localpg"
)

// syncBuffer is an io.Writer the command's goroutines and the test can share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// env is a getenv over a fixed map: the tests never read the real environment through run.
func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestRunUsageErrors(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "no command"},
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"unknown flag", []string{"serve", "-no-such-flag"}, "no-such-flag"},
		{"flag without value", []string{"import", "-data"}, "-data"},
		{"stray argument", []string{"migrate", "extra"}, `unexpected argument "extra"`},
		{"bad log level", []string{"serve", "-log-level", "loud"}, "-log-level"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr syncBuffer
			err := run(ctx, tc.args, env(nil), nil, &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("run(%q) = %v, want an error mentioning %q", tc.args, err, tc.want)
			}
			if stdout.String() != "" {
				t.Errorf("stdout: %q", stdout.String())
			}
		})
	}
	var stderr syncBuffer
	if err := run(ctx, []string{"serve", "-h"}, env(nil), nil, &syncBuffer{}, &stderr); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("serve -h: %v, want flag.ErrHelp", err)
	}
	if !strings.Contains(stderr.String(), "-pgdata") {
		t.Errorf("serve -h does not list -pgdata:\n%s", stderr.String())
	}
}

// TestFindMissingBinaries: without PostgreSQL the error says how to install it, both from
// localpg.Find and from the command a user runs.
func TestFindMissingBinaries(t *testing.T) {
	const hint = "apt-get install postgresql-15-postgis-3"
	bogus := filepath.Join(t.TempDir(), "no-postgres-here")
	_, err := localpg.Find(bogus)
	if !errors.Is(err, localpg.ErrMissing) || !strings.Contains(err.Error(), hint) {
		t.Fatalf("Find(%s) = %v, want ErrMissing with %q", bogus, err, hint)
	}
	err = run(context.Background(), []string{"migrate"},
		env(map[string]string{"PG_BINDIR": bogus, "MPPMAP_PGDATA": t.TempDir()}), nil, &syncBuffer{}, &syncBuffer{})
	if err == nil || !strings.Contains(err.Error(), hint) {
		t.Fatalf("migrate without DATABASE_URL and with PG_BINDIR=%s: %v, want %q", bogus, err, hint)
	}
}

// badFolder writes a small reference folder (the shape of data/import_test.go's fixture) with
// two problems: a month 13 on line 3 of the status file and an unknown source id on line 4.
func badFolder(t *testing.T) string {
	t.Helper()
	status := datatest.Fixture()["mpp/mpp_status_by_region.csv"]
	status = strings.Replace(status, ",no,2024-06,", ",no,2024-13,", 1)
	status = strings.Replace(status, "unknown,,,no_source_found,,", "unknown,,,no_source_found,S77,", 1)
	return datatest.WriteFolder(t, datatest.Fixture(), map[string]string{"mpp/mpp_status_by_region.csv": status})
}

func TestImportBadFolder(t *testing.T) {
	dbURL, pool := datatest.NewDB(t)
	dir := badFolder(t)
	var stdout, stderr syncBuffer
	err := run(context.Background(), []string{"import", "-data", dir},
		env(map[string]string{"DATABASE_URL": dbURL, "MPPMAP_LOG_LEVEL": "warn"}), nil, &stdout, &stderr)
	if err == nil {
		t.Fatalf("import of a bad folder succeeded; stdout:\n%s", stdout.String())
	}
	t.Logf("error:\n%v", err)
	for _, re := range []string{
		`(?m)^mpp/mpp_status_by_region\.csv:3: status_as_of: \S.*$`,
		`(?m)^mpp/mpp_status_by_region\.csv:4: source_ids: \S.*S77.*$`,
	} {
		if !regexp.MustCompile(re).MatchString(err.Error()) {
			t.Errorf("error does not match %s:\n%v", re, err)
		}
	}
	if !strings.Contains(err.Error(), "nothing was written") {
		t.Errorf("error does not say nothing was written:\n%v", err)
	}
	if stdout.String() != "" {
		t.Errorf("stdout not empty: %q", stdout.String())
	}
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM region) + (SELECT count(*) FROM province)`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d province and region rows written by a rejected import", n)
	}
}
