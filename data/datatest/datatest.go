// Package datatest gives tests a fresh, migrated PostGIS database of their own.
//
// `make test` starts a throwaway cluster and sets MPPMAP_TEST_DATABASE_URL. Without it a test
// skips — unless CI is set, where a missing database is a failure, so CI can never go green by
// skipping the tests that matter.
package datatest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"mppmap/data"
)

// EnvURL names the variable holding the cluster's admin connection string.
const EnvURL = "MPPMAP_TEST_DATABASE_URL"

// URL returns the admin URL of the test cluster, skipping (or, under CI, failing) without one.
func URL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvURL)
	if u == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not set and CI is: database tests must run in CI (use `make test`)", EnvURL)
		}
		t.Skipf("%s not set; run `make test` for the database tests", EnvURL)
	}
	return u
}

// NewDB creates an empty database with PostGIS and mppmap's migrations applied, returns its
// URL and a pool on it, and drops it when the test ends.
func NewDB(t testing.TB) (string, *pgxpool.Pool) {
	t.Helper()
	admin := URL(t)
	ctx := context.Background()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	name := "t_" + hex.EncodeToString(b[:])
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("connect to test cluster: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	dbURL := withDatabase(admin, name)
	pool, err := data.Open(ctx, dbURL)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() {
		pool.Close()
		c, err := pgx.Connect(context.Background(), admin)
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		_, _ = c.Exec(context.Background(), "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	})
	if err := data.Migrate(ctx, pool, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatalf("migrate test database: %v", err)
	}
	return dbURL, pool
}

// withDatabase swaps the database name in a postgres:// URL.
func withDatabase(admin, name string) string {
	u, err := url.Parse(admin)
	if err != nil {
		return admin
	}
	u.Path = "/" + name
	return u.String()
}

// RefData returns the reference data folder: MPPMAP_DATA, else ../shared/data beside the
// repository. It fails the test when the folder is missing, since the real data is required.
func RefData(t testing.TB) string {
	t.Helper()
	if d := os.Getenv("MPPMAP_DATA"); d != "" {
		return d
	}
	_, file, _, _ := runtime.Caller(0)
	d := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "data")
	if _, err := os.Stat(filepath.Join(d, "codes", "kabkota.csv")); err != nil {
		t.Fatalf("reference data not found at %s (set MPPMAP_DATA): %v", d, err)
	}
	return d
}
