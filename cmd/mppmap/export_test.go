package main

import (
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mppmap/data/datatest"
)

// TestExportUsage: -data must be given on the command line (MPPMAP_DATA names the folder to
// import, never the one to write), and -h lists the export's own flag.
func TestExportUsage(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"no -data", []string{"export"}, nil, "-data DIR is required"},
		{"MPPMAP_DATA is not -data", []string{"export"}, map[string]string{"MPPMAP_DATA": t.TempDir()}, "-data DIR is required"},
		{"stray argument", []string{"export", "-data", t.TempDir(), "extra"}, nil, `unexpected argument "extra"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr syncBuffer
			err := run(ctx, tc.args, env(tc.env), nil, &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("run(%q) = %v, want an error with %q", tc.args, err, tc.want)
			}
			if stdout.String() != "" {
				t.Errorf("stdout: %q", stdout.String())
			}
		})
	}
	var stderr syncBuffer
	if err := run(ctx, []string{"export", "-h"}, env(nil), nil, &syncBuffer{}, &stderr); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("export -h: %v, want flag.ErrHelp", err)
	}
	if !strings.Contains(stderr.String(), "usage: mppmap export -data DIR") || !strings.Contains(stderr.String(), "-from") {
		t.Errorf("export -h does not show its usage and -from:\n%s", stderr.String())
	}
}

// TestExportCommand: import then export through run; the release has the ledger and the copies,
// the summary goes to stdout, and a second export into the same folder is refused.
func TestExportCommand(t *testing.T) {
	dbURL, _ := datatest.NewDB(t)
	ctx := context.Background()
	src := datatest.WriteFolder(t, datatest.Fixture(), nil)
	e := env(map[string]string{"DATABASE_URL": dbURL, "MPPMAP_LOG_LEVEL": "warn"})
	if err := run(ctx, []string{"import", "-data", src}, e, nil, &syncBuffer{}, &syncBuffer{}); err != nil {
		t.Fatalf("import: %v", err)
	}
	out := filepath.Join(t.TempDir(), "release")
	var stdout, stderr syncBuffer
	if err := run(ctx, []string{"export", "-data", out}, e, nil, &stdout, &stderr); err != nil {
		t.Fatalf("export: %v\n%s", err, stderr.String())
	}
	for _, want := range []string{"export to " + out, "mpp/mpp_status_by_region.csv", "copied unchanged from " + src} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout.String())
		}
	}
	for _, p := range []string{"mpp/mpp_status_by_region.csv", "boundaries/kabkota.geojson"} {
		if _, err := os.Stat(filepath.Join(out, p)); err != nil {
			t.Errorf("release lacks %s: %v", p, err)
		}
	}
	err := run(ctx, []string{"export", "-data", out, "-from", src}, e, nil, &syncBuffer{}, &syncBuffer{})
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("second export into %s: %v, want it refused as not empty", out, err)
	}
}
