package data_test

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"mppmap/auth"
	"mppmap/data"
	"mppmap/data/datatest"
)

// testHash is a real argon2id hash made once per test binary: hashing is slow by design.
var testHash = func() string {
	h, err := auth.HashPassword("kopi tubruk di Bandung")
	if err != nil {
		panic(err)
	}
	return h
}()

var cli = data.CLIActor()

func addUser(t *testing.T, pool *pgxpool.Pool, email string, role data.Role) data.User {
	t.Helper()
	u, err := data.AddUser(context.Background(), pool, cli, email, role, "Deputi Pelayanan Publik", testHash)
	if err != nil {
		t.Fatalf("AddUser(%s): %v", email, err)
	}
	return u
}

func TestRoles(t *testing.T) {
	for _, tc := range []struct {
		role              data.Role
		edit, manageUsers bool
	}{
		{data.RoleSteward, true, false},
		{data.RoleAdmin, true, true},
		{data.Role("viewer"), false, false},
		{data.Role(""), false, false},
	} {
		if got := tc.role.CanEdit(); got != tc.edit {
			t.Errorf("%q.CanEdit() = %v", tc.role, got)
		}
		if got := tc.role.CanManageUsers(); got != tc.manageUsers {
			t.Errorf("%q.CanManageUsers() = %v", tc.role, got)
		}
	}
	for _, s := range []string{"steward", "admin", " admin "} {
		if _, err := data.ParseRole(s); err != nil {
			t.Errorf("ParseRole(%q): %v", s, err)
		}
	}
	for _, s := range []string{"", "Admin", "root", "steward,admin"} {
		if _, err := data.ParseRole(s); !errors.Is(err, data.ErrInvalid) {
			t.Errorf("ParseRole(%q) = %v, want ErrInvalid", s, err)
		}
	}
}

func TestNormalizeEmail(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"ana@kemendagri.go.id", "ana@kemendagri.go.id"},
		{"  Ana.Siregar@MenPAN.go.id\n", "ana.siregar@menpan.go.id"},
		{"", ""},
		{"ana", ""},
		{"@kemendagri.go.id", ""},
		{"ana@", ""},
		{"ana@b@c", ""},
		{"ana siregar@x.go.id", ""},
		{"ana@x\u00a0go.id", ""},
		{strings.Repeat("a", 250) + "@x.id", ""},
	} {
		got, err := data.NormalizeEmail(tc.in)
		if tc.want == "" {
			if !errors.Is(err, data.ErrInvalid) {
				t.Errorf("NormalizeEmail(%q) = %q, %v; want ErrInvalid", tc.in, got, err)
			}
		} else if err != nil || got != tc.want {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestUsers(t *testing.T) {
	_, pool := datatest.NewDB(t)
	ctx := context.Background()

	ana := addUser(t, pool, "  Ana@Kemendagri.go.id ", data.RoleAdmin)
	if ana.ID == 0 || ana.Email != "ana@kemendagri.go.id" || ana.Role != data.RoleAdmin ||
		ana.Unit != "Deputi Pelayanan Publik" || ana.CreatedAt.IsZero() || ana.Disabled {
		t.Fatalf("AddUser returned %+v", ana)
	}
	addUser(t, pool, "budi@menpan.go.id", data.RoleSteward)

	_, err := data.AddUser(ctx, pool, cli, "ANA@kemendagri.go.id", data.RoleSteward, "", testHash)
	if !errors.Is(err, data.ErrExists) || !strings.Contains(err.Error(), "ana@kemendagri.go.id") {
		t.Errorf("duplicate e-mail in another case: %v, want ErrExists naming it", err)
	}
	for _, bad := range []struct {
		email string
		role  data.Role
		hash  string
	}{
		{"not-an-address", data.RoleSteward, testHash},
		{"c@x.go.id", data.Role("root"), testHash},
		{"c@x.go.id", data.RoleSteward, ""},
	} {
		if _, err := data.AddUser(ctx, pool, cli, bad.email, bad.role, "", bad.hash); !errors.Is(err, data.ErrInvalid) {
			t.Errorf("AddUser(%q, %q, hash %q) = %v, want ErrInvalid", bad.email, bad.role, bad.hash, err)
		}
	}

	got, err := data.UserByEmail(ctx, pool, "ANA@kemendagri.go.id")
	if err != nil || got != ana {
		t.Errorf("UserByEmail = %+v, %v; want %+v", got, err, ana)
	}
	if _, err := data.UserByEmail(ctx, pool, "nobody@x.go.id"); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("UserByEmail(unknown) = %v, want ErrNotFound", err)
	}
	u, hash, err := data.Credentials(ctx, pool, "ana@kemendagri.go.id")
	if err != nil || u.ID != ana.ID || !auth.CheckPassword(hash, "kopi tubruk di Bandung") {
		t.Errorf("Credentials = %+v, %q, %v", u, hash, err)
	}

	users, err := data.ListUsers(ctx, pool)
	if err != nil || len(users) != 2 || users[0].Email != "ana@kemendagri.go.id" || users[1].Email != "budi@menpan.go.id" {
		t.Fatalf("ListUsers = %+v, %v", users, err)
	}

	if err := data.DisableUser(ctx, pool, cli, "nobody@x.go.id"); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("DisableUser(unknown) = %v, want ErrNotFound", err)
	}
	if err := data.DisableUser(ctx, pool, cli, "Budi@menpan.go.id"); err != nil {
		t.Fatal(err)
	}
	budi, err := data.UserByEmail(ctx, pool, "budi@menpan.go.id")
	if err != nil || !budi.Disabled {
		t.Errorf("after DisableUser: %+v, %v", budi, err)
	}
	if _, _, err := data.Credentials(ctx, pool, "budi@menpan.go.id"); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("Credentials of a disabled user = %v, want ErrNotFound", err)
	}
	// Disabling again changes nothing and writes no second audit row.
	if err := data.DisableUser(ctx, pool, cli, "budi@menpan.go.id"); err != nil {
		t.Errorf("second DisableUser: %v", err)
	}
	if _, err := data.AddUser(ctx, pool, cli, "budi@menpan.go.id", data.RoleSteward, "", testHash); !errors.Is(err, data.ErrExists) {
		t.Errorf("re-adding a disabled user's e-mail: %v, want ErrExists", err)
	}

	log, err := data.Audit(ctx, pool, data.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range log {
		actions = append(actions, e.Action+" "+e.Target)
		if e.Actor != "cli" {
			t.Errorf("audit actor %q, want cli", e.Actor)
		}
	}
	want := []string{
		"user.disable user:" + itoa(budi.ID),
		"user.add user:" + itoa(budi.ID),
		"user.add user:" + itoa(ana.ID),
	}
	if strings.Join(actions, "; ") != strings.Join(want, "; ") {
		t.Errorf("audit log, newest first:\n got %q\nwant %q", actions, want)
	}
	var before, after map[string]any
	if err := json.Unmarshal(log[0].Before, &before); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(log[0].After, &after); err != nil {
		t.Fatal(err)
	}
	if before["disabled"] != false || after["disabled"] != true || after["email"] != "budi@menpan.go.id" || after["role"] != "steward" {
		t.Errorf("disable audit before %v after %v", before, after)
	}
	if log[2].Before != nil {
		t.Errorf("user.add has a before: %s", log[2].Before)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestSessions(t *testing.T) {
	_, pool := datatest.NewDB(t)
	ctx := context.Background()
	ana := addUser(t, pool, "ana@kemendagri.go.id", data.RoleSteward)
	now := time.Date(2024, 8, 17, 9, 0, 0, 0, time.UTC)

	sid, sidHash := auth.NewSecret()
	_, csrfHash := auth.NewSecret()
	s, err := data.CreateSession(ctx, pool, ana.ID, sidHash, csrfHash, "203.0.113.5", now, 8*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if !s.ExpiresAt.Equal(now.Add(8*time.Hour)) || !s.CreatedAt.Equal(now) || !s.LastSeenAt.Equal(now) {
		t.Errorf("session times %+v", s)
	}
	got, u, err := data.SessionByHash(ctx, pool, auth.HashSecret(sid), now.Add(time.Hour))
	if err != nil || u.ID != ana.ID || got.CSRFHash != csrfHash || got.Client != "203.0.113.5" {
		t.Fatalf("SessionByHash = %+v, %+v, %v", got, u, err)
	}
	if err := data.TouchSession(ctx, pool, sidHash, now.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, _, _ = data.SessionByHash(ctx, pool, sidHash, now.Add(2*time.Hour))
	if !got.LastSeenAt.Equal(now.Add(2 * time.Hour)) {
		t.Errorf("LastSeenAt %v after TouchSession", got.LastSeenAt)
	}
	// Expiry: not found at or after ExpiresAt; touching it fails too.
	if _, _, err := data.SessionByHash(ctx, pool, sidHash, now.Add(8*time.Hour)); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("expired session: %v, want ErrNotFound", err)
	}
	if err := data.TouchSession(ctx, pool, sidHash, now.Add(9*time.Hour)); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("touching an expired session: %v, want ErrNotFound", err)
	}
	if n, err := data.DeleteExpiredSessions(ctx, pool, now.Add(9*time.Hour)); err != nil || n != 1 {
		t.Errorf("DeleteExpiredSessions = %d, %v; want 1", n, err)
	}
	if _, _, err := data.SessionByHash(ctx, pool, "no-such-hash", now); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("unknown session: %v", err)
	}
	if _, err := data.CreateSession(ctx, pool, ana.ID, sidHash, csrfHash, "", now, 0); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("zero ttl: %v, want ErrInvalid", err)
	}
	if _, err := data.CreateSession(ctx, pool, 999999, "h", "c", "", now, time.Hour); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("session of an unknown user: %v, want ErrNotFound", err)
	}

	// Sign-out.
	_, h2 := auth.NewSecret()
	if _, err := data.CreateSession(ctx, pool, ana.ID, h2, csrfHash, "", now, time.Hour); err != nil {
		t.Fatal(err)
	}
	for range 2 { // twice: idempotent
		if err := data.DeleteSession(ctx, pool, h2); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := data.SessionByHash(ctx, pool, h2, now); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("deleted session: %v", err)
	}
}

func TestTokens(t *testing.T) {
	_, pool := datatest.NewDB(t)
	ctx := context.Background()
	ana := addUser(t, pool, "ana@kemendagri.go.id", data.RoleSteward)

	value, hash, shown := auth.NewToken()
	tok, err := data.CreateToken(ctx, pool, cli, ana.ID, " ci ", hash, shown)
	if err != nil {
		t.Fatal(err)
	}
	if tok.Name != "ci" || tok.Prefix != shown || tok.ID == 0 {
		t.Errorf("CreateToken = %+v", tok)
	}
	got, u, err := data.TokenByHash(ctx, pool, auth.HashSecret(value))
	if err != nil || got.ID != tok.ID || u.ID != ana.ID || got.LastUsedAt.IsZero() {
		t.Fatalf("TokenByHash = %+v, %+v, %v", got, u, err)
	}
	if _, err := data.CreateToken(ctx, pool, cli, ana.ID, "ci", "otherhash", "mpp_xxxx"); !errors.Is(err, data.ErrExists) {
		t.Errorf("duplicate name: %v, want ErrExists", err)
	}
	if _, err := data.CreateToken(ctx, pool, cli, ana.ID, "", "h", "p"); !errors.Is(err, data.ErrInvalid) {
		t.Errorf("empty name: %v, want ErrInvalid", err)
	}
	if _, err := data.CreateToken(ctx, pool, cli, 999999, "x", "h", "p"); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("token of an unknown user: %v, want ErrNotFound", err)
	}

	if err := data.RevokeToken(ctx, pool, cli, "ANA@kemendagri.go.id", "ci"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := data.TokenByHash(ctx, pool, hash); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("revoked token: %v, want ErrNotFound", err)
	}
	if err := data.RevokeToken(ctx, pool, cli, "ana@kemendagri.go.id", "ci"); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("revoking twice: %v, want ErrNotFound", err)
	}
	if err := data.RevokeToken(ctx, pool, cli, "ana@kemendagri.go.id", "nope"); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("revoking an unknown token: %v, want ErrNotFound", err)
	}

	log, err := data.Audit(ctx, pool, data.AuditFilter{Target: "token:" + itoa(tok.ID)})
	if err != nil || len(log) != 2 || log[0].Action != data.ActionTokenRevoke || log[1].Action != data.ActionTokenCreate {
		t.Fatalf("token audit = %+v, %v", log, err)
	}
	var after map[string]any
	_ = json.Unmarshal(log[0].After, &after)
	if after["name"] != "ci" || after["prefix"] != shown || after["revoked"] != true || after["user"] != "ana@kemendagri.go.id" {
		t.Errorf("revoke audit after = %v", after)
	}
}

// TestDisableEndsSessionsAndTokens: from the moment DisableUser returns, neither the user's
// browser nor its scripts can do anything, and other users are untouched.
func TestDisableEndsSessionsAndTokens(t *testing.T) {
	_, pool := datatest.NewDB(t)
	ctx := context.Background()
	now := time.Now()
	ana := addUser(t, pool, "ana@kemendagri.go.id", data.RoleSteward)
	budi := addUser(t, pool, "budi@kemendagri.go.id", data.RoleSteward)
	sessions := map[int64]string{}
	tokens := map[int64]string{}
	for _, u := range []data.User{ana, budi} {
		_, sh := auth.NewSecret()
		_, ch := auth.NewSecret()
		if _, err := data.CreateSession(ctx, pool, u.ID, sh, ch, "", now, time.Hour); err != nil {
			t.Fatal(err)
		}
		_, th, shown := auth.NewToken()
		if _, err := data.CreateToken(ctx, pool, cli, u.ID, "ci", th, shown); err != nil {
			t.Fatal(err)
		}
		sessions[u.ID], tokens[u.ID] = sh, th
	}
	if err := data.DisableUser(ctx, pool, cli, ana.Email); err != nil {
		t.Fatal(err)
	}
	if _, _, err := data.SessionByHash(ctx, pool, sessions[ana.ID], now); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("session of a disabled user: %v", err)
	}
	if _, _, err := data.TokenByHash(ctx, pool, tokens[ana.ID]); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("token of a disabled user: %v", err)
	}
	if n := count(t, pool, `SELECT count(*) FROM app_session WHERE user_id = $1`, ana.ID); n != 0 {
		t.Errorf("%d sessions of the disabled user remain", n)
	}
	if n := count(t, pool, `SELECT count(*) FROM api_token WHERE user_id = $1 AND revoked_at IS NULL`, ana.ID); n != 0 {
		t.Errorf("%d active tokens of the disabled user remain", n)
	}
	if _, _, err := data.SessionByHash(ctx, pool, sessions[budi.ID], now); err != nil {
		t.Errorf("another user's session: %v", err)
	}
	if _, _, err := data.TokenByHash(ctx, pool, tokens[budi.ID]); err != nil {
		t.Errorf("another user's token: %v", err)
	}
	// A disabled user gets no new session or token.
	_, sh := auth.NewSecret()
	if _, err := data.CreateSession(ctx, pool, ana.ID, sh, sh, "", now, time.Hour); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("new session of a disabled user: %v, want ErrNotFound", err)
	}
	if _, err := data.CreateToken(ctx, pool, cli, ana.ID, "new", "h2", "p"); !errors.Is(err, data.ErrNotFound) {
		t.Errorf("new token of a disabled user: %v, want ErrNotFound", err)
	}
}

// TestAuditAppendOnly: the trigger refuses UPDATE, DELETE and TRUNCATE with its message, and
// the row survives each attempt unchanged.
func TestAuditAppendOnly(t *testing.T) {
	_, pool := datatest.NewDB(t)
	ctx := context.Background()
	entry := data.AuditEntry{Actor: "user:1", ActorEmail: "ana@kemendagri.go.id", Action: "status.update",
		Target: "region:32.73", Before: json.RawMessage(`{"status":"no"}`), After: json.RawMessage(`{"status":"yes"}`),
		RequestID: "req-1", Client: "203.0.113.5"}
	if err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return data.AppendAudit(ctx, tx, entry) }); err != nil {
		t.Fatal(err)
	}
	snapshot := func() string {
		var s string
		if err := pool.QueryRow(ctx, `SELECT string_agg(a::text, E'\n' ORDER BY id) FROM audit_log a`).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	orig := snapshot()
	for _, sql := range []string{
		`UPDATE audit_log SET actor = 'someone else'`,
		`UPDATE audit_log SET after = '{"status":"no"}' WHERE target = 'region:32.73'`,
		`DELETE FROM audit_log`,
		`DELETE FROM audit_log WHERE id = 1`,
		`TRUNCATE audit_log`,
	} {
		_, err := pool.Exec(ctx, sql)
		if err == nil || !strings.Contains(err.Error(), "audit_log is append-only") {
			t.Errorf("%s: %v, want the trigger's refusal", sql, err)
		}
		if got := snapshot(); got != orig {
			t.Errorf("after %s the log changed:\n%s\nwas\n%s", sql, got, orig)
		}
	}

	log, err := data.Audit(ctx, pool, data.AuditFilter{Target: "region:32.73", Action: "status.update", Actor: "user:1"})
	if err != nil || len(log) != 1 {
		t.Fatalf("Audit = %+v, %v", log, err)
	}
	e := log[0]
	if e.At.IsZero() || e.ActorEmail != entry.ActorEmail || e.RequestID != "req-1" || e.Client != entry.Client ||
		string(e.Before) != `{"status": "no"}` || string(e.After) != `{"status": "yes"}` {
		t.Errorf("read back %+v", e)
	}
	for _, f := range []data.AuditFilter{{Actor: "cli"}, {Action: "user.add"}, {Target: "region:11.01"}, {Since: time.Now().Add(time.Hour)}} {
		if log, err := data.Audit(ctx, pool, f); err != nil || len(log) != 0 {
			t.Errorf("Audit(%+v) = %d rows, %v; want none", f, len(log), err)
		}
	}
	if log, err := data.Audit(ctx, pool, data.AuditFilter{Since: time.Now().Add(-time.Hour)}); err != nil || len(log) != 1 {
		t.Errorf("Audit(since an hour ago) = %d rows, %v", len(log), err)
	}
	bad := entry
	bad.After = json.RawMessage(`{not json`)
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return data.AppendAudit(ctx, tx, bad) })
	if !errors.Is(err, data.ErrInvalid) {
		t.Errorf("AppendAudit with bad JSON: %v, want ErrInvalid", err)
	}
}

// TestAuditHoldsNoSecrets: after every kind of account change, no password, password hash,
// token value or token hash appears anywhere in the audit log's text.
func TestAuditHoldsNoSecrets(t *testing.T) {
	_, pool := datatest.NewDB(t)
	ctx := context.Background()
	const pw = "rahasia sekali 2024"
	hash, err := auth.HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	u, err := data.AddUser(ctx, pool, cli, "ana@kemendagri.go.id", data.RoleAdmin, "", hash)
	if err != nil {
		t.Fatal(err)
	}
	value, th, shown := auth.NewToken()
	if _, err := data.CreateToken(ctx, pool, u.Actor("req-9", "203.0.113.5"), u.ID, "ci", th, shown); err != nil {
		t.Fatal(err)
	}
	if err := data.RevokeToken(ctx, pool, cli, u.Email, "ci"); err != nil {
		t.Fatal(err)
	}
	if err := data.DisableUser(ctx, pool, cli, u.Email); err != nil {
		t.Fatal(err)
	}
	rows, err := pool.Query(ctx, `SELECT a::text FROM audit_log a`)
	if err != nil {
		t.Fatal(err)
	}
	texts, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	if len(texts) != 4 {
		t.Fatalf("%d audit rows, want 4", len(texts))
	}
	parts := strings.Split(hash, "$") // the salt and the key alone must not appear either
	secrets := map[string]string{"password": pw, "password hash": hash, "hash salt": parts[4], "hash key": parts[5],
		"token": value, "token hash": th, "token without prefix": strings.TrimPrefix(value, auth.TokenPrefix)}
	for _, text := range texts {
		for what, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("audit row holds the %s: %s", what, text)
			}
		}
	}
	// The actor of the token's creation is the user, with request id and client.
	log, _ := data.Audit(ctx, pool, data.AuditFilter{Action: data.ActionTokenCreate})
	if len(log) != 1 || log[0].Actor != "user:"+itoa(u.ID) || log[0].ActorEmail != u.Email || log[0].RequestID != "req-9" {
		t.Errorf("token.create audit %+v", log)
	}
}

// TestRolesAgreeWithSchema: app_user's CHECK lists exactly data.Roles.
func TestRolesAgreeWithSchema(t *testing.T) {
	_, pool := datatest.NewDB(t)
	var def string
	if err := pool.QueryRow(context.Background(), `SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c
		JOIN pg_class r ON r.oid = c.conrelid
		WHERE r.relname = 'app_user' AND c.contype = 'c' AND pg_get_constraintdef(c.oid) LIKE '%role%'`).Scan(&def); err != nil {
		t.Fatal(err)
	}
	var got, want []string
	for _, m := range regexp.MustCompile(`'([^']*)'::text`).FindAllStringSubmatch(def, -1) {
		got = append(got, m[1])
	}
	for _, r := range data.Roles {
		want = append(want, string(r))
	}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("CHECK on app_user.role allows %v; data.Roles has %v", got, want)
	}
}

// TestUnreachableIsUnavailable: what a request asks of the accounts while the database is away
// (a restart) is ErrUnavailable, so the API and the pages answer 503 with Retry-After, not 500.
// Found by the e2e outage test: a bearer token's lookup was a 500.
func TestUnreachableIsUnavailable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	pool, err := pgxpool.New(ctx, "postgres://nobody@127.0.0.1:1/none?connect_timeout=2")
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	for name, call := range map[string]func() error{
		"token":   func() error { _, _, err := data.TokenByHash(ctx, pool, "x"); return err },
		"session": func() error { _, _, err := data.SessionByHash(ctx, pool, "x", time.Now()); return err },
		"touch":   func() error { return data.TouchSession(ctx, pool, "x", time.Now()) },
		"logout":  func() error { return data.DeleteSession(ctx, pool, "x") },
	} {
		if err := call(); !errors.Is(err, data.ErrUnavailable) {
			t.Errorf("%s with the database away: %v, want ErrUnavailable", name, err)
		}
	}
}
