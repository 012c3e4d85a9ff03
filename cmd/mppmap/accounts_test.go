package main

import (
	"context"
	"errors"
	"flag"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"mppmap/auth"
	"mppmap/data"
	"mppmap/data/datatest"
)

// TestAccountUsageErrors: mistakes a database is not needed for are refused before one is
// opened (no DATABASE_URL here: reaching openDatabase would try to start a cluster).
func TestAccountUsageErrors(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
		want  string
	}{
		{"no subcommand", []string{"user"}, "", "user: no subcommand"},
		{"unknown subcommand", []string{"user", "delete", "-email", "a@x.go.id"}, "", `unknown command "user delete"`},
		{"token unknown subcommand", []string{"token", "list"}, "", `unknown command "token list"`},
		{"no email", []string{"user", "add", "-role", "steward"}, "", "-email is required"},
		{"bad email", []string{"user", "add", "-email", "ana", "-role", "steward"}, "", "want exactly one @"},
		{"no role", []string{"user", "add", "-email", "a@x.go.id"}, "", `role "": invalid`},
		{"bad role", []string{"user", "add", "-email", "a@x.go.id", "-role", "root"}, "", `role "root": invalid: want steward or admin`},
		{"weak password", []string{"user", "add", "-email", "a@x.go.id", "-role", "admin", "-password-stdin"}, "short\n", "5 characters; at least 12"},
		{"empty stdin", []string{"user", "add", "-email", "a@x.go.id", "-role", "admin", "-password-stdin"}, "", "0 characters"},
		{"repeated password", []string{"user", "add", "-email", "a@x.go.id", "-role", "admin", "-password-stdin"}, strings.Repeat("x", 20), "repeats one character"},
		{"huge stdin", []string{"user", "add", "-email", "a@x.go.id", "-role", "admin", "-password-stdin"}, strings.Repeat("ab", 5000), "longer than 1024 bytes"},
		{"disable without email", []string{"user", "disable"}, "", "-email is required"},
		{"token without name", []string{"token", "create", "-email", "a@x.go.id"}, "", "-name is required"},
		{"revoke without name", []string{"token", "revoke", "-email", "a@x.go.id", "-name", " "}, "", "-name is required"},
		{"stray argument", []string{"token", "create", "-email", "a@x.go.id", "-name", "ci", "extra"}, "", `unexpected argument "extra"`},
		{"unknown flag", []string{"user", "disable", "-mail", "a@x.go.id"}, "", "-mail"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr syncBuffer
			err := run(ctx, tc.args, env(nil), strings.NewReader(tc.stdin), &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("run(%q) = %v, want an error mentioning %q", tc.args, err, tc.want)
			}
			if stdout.String() != "" {
				t.Errorf("stdout: %q", stdout.String())
			}
		})
	}
	var stderr syncBuffer
	if err := run(ctx, []string{"user", "add", "-h"}, env(nil), nil, &syncBuffer{}, &stderr); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("user add -h: %v, want flag.ErrHelp", err)
	}
	if !strings.Contains(stderr.String(), "-password-stdin") || !strings.Contains(stderr.String(), "-pgdata") {
		t.Errorf("user add -h does not list its flags and the database's:\n%s", stderr.String())
	}
}

// TestAccountCommands drives run through a steward's life: added with a password from stdin
// and an admin with a generated one, a token created (printed once, stored only as a hash),
// revoked, the user disabled — and every step audited as "cli".
func TestAccountCommands(t *testing.T) {
	dbURL, pool := datatest.NewDB(t)
	ctx := context.Background()
	vars := env(map[string]string{"DATABASE_URL": dbURL, "MPPMAP_LOG_LEVEL": "warn"})
	cmd := func(stdin string, args ...string) (string, error) {
		t.Helper()
		var stdout, stderr syncBuffer
		err := run(ctx, args, vars, strings.NewReader(stdin), &stdout, &stderr)
		if stderr.String() != "" {
			t.Logf("stderr of %q:\n%s", args, stderr.String())
		}
		return stdout.String(), err
	}
	lastLine := func(s string) string {
		lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
		return lines[len(lines)-1]
	}

	const pw = "Pelayanan Publik 2024!"
	out, err := cmd(pw+"\r\n", "user", "add", "-email", " Ana@Kemendagri.go.id ", "-role", "steward",
		"-unit", "Deputi Pelayanan Publik", "-password-stdin")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, pw) {
		t.Errorf("user add printed the password it was given: %q", out)
	}
	_, hash, err := data.Credentials(ctx, pool, "ana@kemendagri.go.id")
	if err != nil || !auth.CheckPassword(hash, pw) {
		t.Fatalf("the password from stdin does not verify: %v", err)
	}
	ana, _ := data.UserByEmail(ctx, pool, "ana@kemendagri.go.id")
	if ana.Role != data.RoleSteward || ana.Unit != "Deputi Pelayanan Publik" {
		t.Errorf("user %+v", ana)
	}

	out, err = cmd("", "user", "add", "-email", "budi@kemendagri.go.id", "-role", "admin")
	if err != nil {
		t.Fatal(err)
	}
	generated := lastLine(out)
	if len(generated) != auth.GeneratedPasswordLen {
		t.Fatalf("last line %q is not a generated password:\n%s", generated, out)
	}
	if _, hash, err := data.Credentials(ctx, pool, "budi@kemendagri.go.id"); err != nil || !auth.CheckPassword(hash, generated) {
		t.Fatalf("the generated password does not verify: %v", err)
	}

	if _, err := cmd(pw, "user", "add", "-email", "ANA@kemendagri.go.id", "-role", "admin", "-password-stdin"); !errors.Is(err, data.ErrExists) {
		t.Errorf("duplicate user: %v, want ErrExists", err)
	}
	if _, err := cmd("", "token", "create", "-email", "nobody@kemendagri.go.id", "-name", "ci"); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("token of an unknown user: %v, want ErrNotFound", err)
	}

	out, err = cmd("", "token", "create", "-email", "ana@kemendagri.go.id", "-name", "ci")
	if err != nil {
		t.Fatal(err)
	}
	token := lastLine(out)
	if !strings.HasPrefix(token, auth.TokenPrefix) {
		t.Fatalf("last line %q is not a token:\n%s", token, out)
	}
	tok, u, err := data.TokenByHash(ctx, pool, auth.HashSecret(token))
	if err != nil || u.Email != "ana@kemendagri.go.id" || tok.Name != "ci" {
		t.Fatalf("TokenByHash(HashSecret(printed token)) = %+v, %+v, %v", tok, u, err)
	}
	if _, err := cmd("", "token", "create", "-email", "ana@kemendagri.go.id", "-name", "ci"); !errors.Is(err, data.ErrExists) {
		t.Errorf("second token named ci: %v, want ErrExists", err)
	}
	// No row of any table holds the token, the password or the generated password in clear.
	for what, secret := range map[string]string{"token": token, "password": pw, "generated password": generated} {
		if where := tablesHolding(t, pool, secret); len(where) > 0 {
			t.Errorf("the %s is stored in clear in %v", what, where)
		}
	}

	if _, err := cmd("", "token", "revoke", "-email", "ana@kemendagri.go.id", "-name", "ci"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := data.TokenByHash(ctx, pool, auth.HashSecret(token)); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("revoked token: %v, want ErrNotFound", err)
	}
	if _, err := cmd("", "token", "revoke", "-email", "ana@kemendagri.go.id", "-name", "ci"); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("revoking again: %v, want ErrNotFound", err)
	}

	if _, err := cmd("", "user", "disable", "-email", "nobody@kemendagri.go.id"); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("disable unknown: %v, want ErrNotFound", err)
	}
	if _, err := cmd("", "user", "disable", "-email", "Ana@kemendagri.go.id"); err != nil {
		t.Fatal(err)
	}
	if u, _ := data.UserByEmail(ctx, pool, "ana@kemendagri.go.id"); !u.Disabled {
		t.Error("not disabled")
	}
	if _, err := cmd("", "token", "create", "-email", "ana@kemendagri.go.id", "-name", "other"); err == nil || !strings.Contains(err.Error(), "disabled") {
		t.Errorf("token for a disabled user: %v", err)
	}

	log, err := data.Audit(ctx, pool, data.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range log {
		if e.Actor != "cli" {
			t.Errorf("actor %q of %s", e.Actor, e.Action)
		}
		actions = append(actions, e.Action)
	}
	want := "user.disable token.revoke token.create user.add user.add"
	if got := strings.Join(actions, " "); got != want {
		t.Errorf("audit actions, newest first: %s; want %s", got, want)
	}
}

// tablesHolding returns the tables with a row whose text contains s.
func tablesHolding(t *testing.T, pool interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}, s string) []string {
	t.Helper()
	ctx := context.Background()
	rows, err := pool.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	var hits []string
	for _, table := range tables {
		// Table names come from the catalogue, quoted as identifiers; s is a parameter.
		rows, err := pool.Query(ctx, `SELECT count(*) FROM `+pgx.Identifier{table}.Sanitize()+` x WHERE strpos(x::text, $1) > 0`, s)
		if err != nil {
			t.Fatal(err)
		}
		n, err := pgx.CollectExactlyOneRow(rows, pgx.RowTo[int])
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			hits = append(hits, table)
		}
	}
	return hits
}
