package data

// Accounts: the stewards and admins who edit the ledger, their browser sessions and API
// tokens, and the audit log every write appends to. Secrets arrive here already hashed
// (package auth makes them); nothing in this file sees a password or a token value, so nothing
// here can log or store one. What the sign-in and the stewards' pages call classifies database
// errors (dbErr): an unreachable server is ErrUnavailable, so a page can answer 503, not 500.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ErrExists is returned when a write would duplicate something unique: a user's e-mail, a
// token's name for its user.
var ErrExists = errors.New("already exists")

// ErrInvalid is wrapped by errors about input the schema would refuse (an e-mail address, a
// role, an empty name), so a surface can answer 400 with the message instead of 500.
var ErrInvalid = errors.New("invalid")

// Role is what an account may do. The schema's CHECK on app_user.role lists exactly Roles.
type Role string

// The roles. A steward edits the ledger — statuses, sites, sources, bulk updates; an admin
// does that and also manages accounts.
const (
	RoleSteward Role = "steward"
	RoleAdmin   Role = "admin"
)

// Roles lists every role, least powerful first.
var Roles = []Role{RoleSteward, RoleAdmin}

// ParseRole returns the Role named s, or an error wrapping ErrInvalid that lists the roles.
func ParseRole(s string) (Role, error) {
	r := Role(strings.TrimSpace(s))
	if !r.Valid() {
		return "", fmt.Errorf("role %q: %w: want steward or admin", s, ErrInvalid)
	}
	return r, nil
}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return r == RoleSteward || r == RoleAdmin }

// CanEdit reports whether r may change the ledger: statuses, sites, sources, bulk updates.
func (r Role) CanEdit() bool { return r == RoleSteward || r == RoleAdmin }

// CanManageUsers reports whether r may add and disable accounts and manage others' tokens.
func (r Role) CanManageUsers() bool { return r == RoleAdmin }

// User is an account. Accounts are disabled, never deleted, so the audit log's "user:<id>"
// always names someone.
type User struct {
	ID        int64
	Email     string // lower case; never shown publicly
	Role      Role
	Unit      string // the ministry unit shown publicly in place of the e-mail
	CreatedAt time.Time
	Disabled  bool
}

// Actor returns u as the actor of a change made in the request requestID from client.
func (u User) Actor(requestID, client string) Actor {
	return Actor{ID: "user:" + strconv.FormatInt(u.ID, 10), Email: u.Email, RequestID: requestID, Client: client}
}

// Actor is who makes a change, as the audit log records it.
type Actor struct {
	ID        string // "user:<id>", "import:<id>" or "cli"
	Email     string // the user's e-mail when ID is a user, else ""
	RequestID string // the HTTP request id, so the log and the server log can be joined
	Client    string // the client address (after trusted proxies)
}

// CLIActor is the actor of changes made with the mppmap command line, by whoever can run it
// on the server (and so already holds the database).
func CLIActor() Actor { return Actor{ID: "cli"} }

// Session is a signed-in browser. Only hashes of its cookie value and CSRF secret are stored.
type Session struct {
	IDHash     string // auth.HashSecret of the cookie value
	UserID     int64
	CSRFHash   string // auth.HashSecret of the session's CSRF secret
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastSeenAt time.Time
	Client     string
}

// Token is an API token of a user. Only its hash and its first characters are stored.
type Token struct {
	ID         int64
	UserID     int64
	Name       string // unique per user, including revoked tokens
	Prefix     string // the value's first auth.TokenShownLen characters, to recognise it in lists
	CreatedAt  time.Time
	RevokedAt  time.Time // zero while the token is active
	LastUsedAt time.Time // zero if never used
}

// AuditEntry is one row of the append-only audit log. Before and After are JSON snapshots of
// what changed (nil when there was nothing before or nothing after); they never hold a
// password, a hash or a token value.
type AuditEntry struct {
	ID         int64     // set by the database
	At         time.Time // set by the database (the transaction's time); ignored by AppendAudit
	Actor      string    // "user:<id>", "import:<id>" or "cli"
	ActorEmail string
	Action     string // e.g. ActionUserAdd, "status.update"
	Target     string // e.g. "user:3", "token:7", "region:32.73"
	Before     json.RawMessage
	After      json.RawMessage
	RequestID  string
	Client     string
}

// The audit actions of account changes.
const (
	ActionUserAdd     = "user.add"
	ActionUserDisable = "user.disable"
	ActionTokenCreate = "token.create"
	ActionTokenRevoke = "token.revoke"
)

// maxNameLen bounds token names: they are labels ("ci", "laptop Ana"), not documents.
const maxNameLen = 100

// NormalizeEmail trims and lower-cases an e-mail address and checks it has the shape the
// schema requires (one @, something on each side, no spaces), so the caller gets a clear error
// instead of a constraint violation.
func NormalizeEmail(s string) (string, error) {
	e := strings.ToLower(strings.TrimSpace(s))
	local, domain, ok := strings.Cut(e, "@")
	switch {
	case e == "":
		return "", fmt.Errorf("e-mail address: %w: empty", ErrInvalid)
	case !ok || local == "" || domain == "" || strings.Contains(domain, "@"):
		return "", fmt.Errorf("e-mail address %q: %w: want exactly one @ with text on each side", s, ErrInvalid)
	case strings.IndexFunc(e, unicode.IsSpace) >= 0:
		return "", fmt.Errorf("e-mail address %q: %w: contains a space", s, ErrInvalid)
	case utf8.RuneCountInString(e) > 254:
		return "", fmt.Errorf("e-mail address: %w: longer than 254 characters", ErrInvalid)
	}
	return e, nil
}

// lookupEmail is NormalizeEmail for lookups, where a malformed address simply finds nobody.
func lookupEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// isUnique reports whether err is a unique-constraint violation.
func isUnique(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// userJSON is what the audit log keeps of a user.
func userJSON(u User) json.RawMessage {
	b, _ := json.Marshal(struct {
		Email    string `json:"email"`
		Role     Role   `json:"role"`
		Unit     string `json:"unit"`
		Disabled bool   `json:"disabled"`
	}{u.Email, u.Role, u.Unit, u.Disabled})
	return b
}

// tokenJSON is what the audit log keeps of a token: never its value or hash.
func tokenJSON(email string, t Token) json.RawMessage {
	b, _ := json.Marshal(struct {
		User    string `json:"user"`
		Name    string `json:"name"`
		Prefix  string `json:"prefix"`
		Revoked bool   `json:"revoked"`
	}{email, t.Name, t.Prefix, !t.RevokedAt.IsZero()})
	return b
}

func audit(by Actor, action, target string, before, after json.RawMessage) AuditEntry {
	return AuditEntry{Actor: by.ID, ActorEmail: by.Email, Action: action, Target: target,
		Before: before, After: after, RequestID: by.RequestID, Client: by.Client}
}

const userColumns = `u.id, u.email, u.role, u.unit, u.created_at, u.disabled_at IS NOT NULL`

func scanUser(row pgx.Row, extra ...any) (User, error) {
	var u User
	err := row.Scan(append([]any{&u.ID, &u.Email, &u.Role, &u.Unit, &u.CreatedAt, &u.Disabled}, extra...)...)
	return u, err
}

// AddUser creates an account with a password hash from auth.HashPassword and records it in
// the audit log, in one transaction. The e-mail is normalised; a taken e-mail (of an active or
// a disabled account) is ErrExists.
func AddUser(ctx context.Context, pool *pgxpool.Pool, by Actor, email string, role Role, unit, passwordHash string) (User, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return User{}, err
	}
	if !role.Valid() {
		return User{}, fmt.Errorf("role %q: %w: want steward or admin", role, ErrInvalid)
	}
	if passwordHash == "" {
		return User{}, fmt.Errorf("user %s: %w: no password hash", email, ErrInvalid)
	}
	u := User{Email: email, Role: role, Unit: strings.TrimSpace(unit)}
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO app_user (email, role, unit, password_hash)
			VALUES ($1, $2, $3, $4) RETURNING id, created_at`,
			u.Email, string(u.Role), u.Unit, passwordHash).Scan(&u.ID, &u.CreatedAt); err != nil {
			if isUnique(err) {
				return fmt.Errorf("user %s: %w", email, ErrExists)
			}
			return fmt.Errorf("add user %s: %w", email, err)
		}
		return AppendAudit(ctx, tx, audit(by, ActionUserAdd, "user:"+strconv.FormatInt(u.ID, 10), nil, userJSON(u)))
	})
	if err != nil {
		return User{}, err
	}
	return u, nil
}

// DisableUser disables the account of email, ends its sessions and revokes its tokens, in one
// transaction with its audit row, so a disabled steward can do nothing from the moment this
// returns. An unknown e-mail is ErrNotFound; an account already disabled is left as it is.
func DisableUser(ctx context.Context, pool *pgxpool.Pool, by Actor, email string) error {
	email = lookupEmail(email)
	return dbErr("disable user", pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		before, err := scanUser(tx.QueryRow(ctx, `SELECT `+userColumns+` FROM app_user u WHERE u.email = $1 FOR UPDATE`, email))
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("no user %q: %w", email, ErrNotFound)
		} else if err != nil {
			return fmt.Errorf("disable user %s: %w", email, err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM app_session WHERE user_id = $1`, before.ID); err != nil {
			return fmt.Errorf("end sessions of %s: %w", email, err)
		}
		if _, err := tx.Exec(ctx, `UPDATE api_token SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, before.ID); err != nil {
			return fmt.Errorf("revoke tokens of %s: %w", email, err)
		}
		if before.Disabled {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE app_user SET disabled_at = now() WHERE id = $1`, before.ID); err != nil {
			return fmt.Errorf("disable user %s: %w", email, err)
		}
		after := before
		after.Disabled = true
		return AppendAudit(ctx, tx, audit(by, ActionUserDisable, "user:"+strconv.FormatInt(before.ID, 10), userJSON(before), userJSON(after)))
	}))
}

// UserByEmail returns the account of email, disabled or not; ErrNotFound if there is none.
func UserByEmail(ctx context.Context, pool *pgxpool.Pool, email string) (User, error) {
	email = lookupEmail(email)
	u, err := scanUser(pool.QueryRow(ctx, `SELECT `+userColumns+` FROM app_user u WHERE u.email = $1`, email))
	if errors.Is(err, pgx.ErrNoRows) {
		return User{}, fmt.Errorf("no user %q: %w", email, ErrNotFound)
	} else if err != nil {
		return User{}, fmt.Errorf("user %s: %w", email, err)
	}
	return u, nil
}

// Credentials returns the active account of email and its password hash, for a login to check
// with auth.CheckPassword. Unknown and disabled accounts are both ErrNotFound, so a login
// answers them alike (the caller should still spend a hash's time on them).
func Credentials(ctx context.Context, pool *pgxpool.Pool, email string) (User, string, error) {
	email = lookupEmail(email)
	var hash string
	u, err := scanUser(pool.QueryRow(ctx, `SELECT `+userColumns+`, u.password_hash FROM app_user u
		WHERE u.email = $1 AND u.disabled_at IS NULL`, email), &hash)
	if errors.Is(err, pgx.ErrNoRows) {
		return User{}, "", fmt.Errorf("no active user %q: %w", email, ErrNotFound)
	} else if err != nil {
		return User{}, "", dbErr("sign-in", fmt.Errorf("user %s: %w", email, err))
	}
	return u, hash, nil
}

// ListUsers returns every account, disabled ones included, by e-mail.
func ListUsers(ctx context.Context, pool *pgxpool.Pool) ([]User, error) {
	rows, err := pool.Query(ctx, `SELECT `+userColumns+` FROM app_user u ORDER BY u.email`)
	if err != nil {
		return nil, dbErr("list users", fmt.Errorf("list users: %w", err))
	}
	users, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (User, error) { return scanUser(r) })
	if err != nil {
		return nil, dbErr("list users", fmt.Errorf("list users: %w", err))
	}
	return users, nil
}

// CreateSession stores a session of userID, valid for ttl from now. idHash and csrfHash are
// auth.HashSecret of the values set in the browser. The caller's clock is used here and in
// SessionByHash and TouchSession, so expiry never depends on two clocks agreeing. A disabled
// or unknown user is ErrNotFound.
func CreateSession(ctx context.Context, pool *pgxpool.Pool, userID int64, idHash, csrfHash, client string, now time.Time, ttl time.Duration) (Session, error) {
	if ttl <= 0 {
		return Session{}, fmt.Errorf("session lifetime %v: %w: must be positive", ttl, ErrInvalid)
	}
	if idHash == "" || csrfHash == "" {
		return Session{}, fmt.Errorf("session: %w: missing hash", ErrInvalid)
	}
	s := Session{IDHash: idHash, UserID: userID, CSRFHash: csrfHash, Client: client}
	err := pool.QueryRow(ctx, `INSERT INTO app_session (id_hash, user_id, csrf_hash, created_at, expires_at, last_seen_at, client)
		SELECT $1, u.id, $3, $4, $5, $4, $6 FROM app_user u WHERE u.id = $2 AND u.disabled_at IS NULL
		RETURNING created_at, expires_at, last_seen_at`,
		idHash, userID, csrfHash, now, now.Add(ttl), client).Scan(&s.CreatedAt, &s.ExpiresAt, &s.LastSeenAt)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return Session{}, fmt.Errorf("no active user %d: %w", userID, ErrNotFound)
	case isUnique(err):
		return Session{}, fmt.Errorf("session: %w", ErrExists)
	case err != nil:
		return Session{}, dbErr("sign-in", fmt.Errorf("create session: %w", err))
	}
	return s, nil
}

// SessionByHash returns the session whose cookie hashes to idHash and its user. Sessions
// expired at now and sessions of disabled users are ErrNotFound.
func SessionByHash(ctx context.Context, pool *pgxpool.Pool, idHash string, now time.Time) (Session, User, error) {
	var s Session
	u, err := scanUser(pool.QueryRow(ctx, `SELECT `+userColumns+`,
			s.id_hash, s.user_id, s.csrf_hash, s.created_at, s.expires_at, s.last_seen_at, s.client
		FROM app_session s JOIN app_user u ON u.id = s.user_id
		WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL`, idHash, now),
		&s.IDHash, &s.UserID, &s.CSRFHash, &s.CreatedAt, &s.ExpiresAt, &s.LastSeenAt, &s.Client)
	if errors.Is(err, pgx.ErrNoRows) {
		return Session{}, User{}, fmt.Errorf("session: %w", ErrNotFound)
	} else if err != nil {
		return Session{}, User{}, dbErr("session", fmt.Errorf("session: %w", err))
	}
	return s, u, nil
}

// TouchSession records that the session was used at now (for idle time-outs and a list of
// one's sessions). An expired or unknown session is ErrNotFound.
func TouchSession(ctx context.Context, pool *pgxpool.Pool, idHash string, now time.Time) error {
	tag, err := pool.Exec(ctx, `UPDATE app_session SET last_seen_at = $2 WHERE id_hash = $1 AND expires_at > $2`, idHash, now)
	if err != nil {
		return dbErr("session", fmt.Errorf("touch session: %w", err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("session: %w", ErrNotFound)
	}
	return nil
}

// DeleteSession ends a session (sign-out). Ending one that does not exist is not an error:
// signing out twice leaves the same state.
func DeleteSession(ctx context.Context, pool *pgxpool.Pool, idHash string) error {
	if _, err := pool.Exec(ctx, `DELETE FROM app_session WHERE id_hash = $1`, idHash); err != nil {
		return dbErr("sign-out", fmt.Errorf("delete session: %w", err))
	}
	return nil
}

// DeleteExpiredSessions removes the sessions expired at now and returns how many; run it now
// and then so the table does not grow with every sign-in.
func DeleteExpiredSessions(ctx context.Context, pool *pgxpool.Pool, now time.Time) (int64, error) {
	tag, err := pool.Exec(ctx, `DELETE FROM app_session WHERE expires_at <= $1`, now)
	if err != nil {
		return 0, fmt.Errorf("delete expired sessions: %w", err)
	}
	return tag.RowsAffected(), nil
}

// CreateToken stores an API token of userID — its hash and shown prefix from auth.NewToken,
// never the value — with its audit row, in one transaction. A name the user already used (even
// for a revoked token) is ErrExists; a disabled or unknown user is ErrNotFound.
func CreateToken(ctx context.Context, pool *pgxpool.Pool, by Actor, userID int64, name, tokenHash, prefix string) (Token, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return Token{}, fmt.Errorf("token name: %w: empty", ErrInvalid)
	case utf8.RuneCountInString(name) > maxNameLen:
		return Token{}, fmt.Errorf("token name: %w: longer than %d characters", ErrInvalid, maxNameLen)
	case tokenHash == "":
		return Token{}, fmt.Errorf("token %s: %w: no hash", name, ErrInvalid)
	}
	t := Token{UserID: userID, Name: name, Prefix: prefix}
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		// FOR SHARE: a concurrent DisableUser waits for this token, then revokes it.
		var email string
		err := tx.QueryRow(ctx, `SELECT email FROM app_user WHERE id = $1 AND disabled_at IS NULL FOR SHARE`, userID).Scan(&email)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("no active user %d: %w", userID, ErrNotFound)
		} else if err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		err = tx.QueryRow(ctx, `INSERT INTO api_token (user_id, name, token_hash, prefix)
			VALUES ($1, $2, $3, $4) RETURNING id, created_at`, userID, name, tokenHash, prefix).Scan(&t.ID, &t.CreatedAt)
		if isUnique(err) {
			return fmt.Errorf("token %q of %s: %w (names of revoked tokens stay taken)", name, email, ErrExists)
		} else if err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		return AppendAudit(ctx, tx, audit(by, ActionTokenCreate, "token:"+strconv.FormatInt(t.ID, 10), nil, tokenJSON(email, t)))
	})
	if err != nil {
		return Token{}, err
	}
	return t, nil
}

// TokenByHash returns the active token whose value hashes to tokenHash and its user, and
// records the use. Revoked tokens and tokens of disabled users are ErrNotFound.
func TokenByHash(ctx context.Context, pool *pgxpool.Pool, tokenHash string) (Token, User, error) {
	var t Token
	var used *time.Time
	u, err := scanUser(pool.QueryRow(ctx, `UPDATE api_token t SET last_used_at = now()
		FROM app_user u
		WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.id = t.user_id AND u.disabled_at IS NULL
		RETURNING `+userColumns+`, t.id, t.user_id, t.name, t.prefix, t.created_at, t.last_used_at`, tokenHash),
		&t.ID, &t.UserID, &t.Name, &t.Prefix, &t.CreatedAt, &used)
	if errors.Is(err, pgx.ErrNoRows) {
		return Token{}, User{}, fmt.Errorf("token: %w", ErrNotFound)
	} else if err != nil {
		return Token{}, User{}, dbErr("token", fmt.Errorf("token: %w", err))
	}
	if used != nil {
		t.LastUsedAt = *used
	}
	return t, u, nil
}

// RevokeToken revokes the active token name of the user email, with its audit row, in one
// transaction. No such active token is ErrNotFound.
func RevokeToken(ctx context.Context, pool *pgxpool.Pool, by Actor, email, name string) error {
	email, name = lookupEmail(email), strings.TrimSpace(name)
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		t := Token{Name: name}
		err := tx.QueryRow(ctx, `UPDATE api_token t SET revoked_at = now()
			FROM app_user u
			WHERE u.email = $1 AND t.user_id = u.id AND t.name = $2 AND t.revoked_at IS NULL
			RETURNING t.id, t.user_id, t.prefix, t.created_at, t.revoked_at`, email, name).
			Scan(&t.ID, &t.UserID, &t.Prefix, &t.CreatedAt, &t.RevokedAt)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("no active token %q of user %q: %w", name, email, ErrNotFound)
		} else if err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		before := t
		before.RevokedAt = time.Time{}
		return AppendAudit(ctx, tx, audit(by, ActionTokenRevoke, "token:"+strconv.FormatInt(t.ID, 10),
			tokenJSON(email, before), tokenJSON(email, t)))
	})
}

// AppendAudit writes e to the audit log inside tx — the transaction of the change it records,
// so there is never a change without its row nor a row without its change. e.At and e.ID are
// set by the database. Before and After must be valid JSON or nil.
func AppendAudit(ctx context.Context, tx pgx.Tx, e AuditEntry) error {
	if e.Actor == "" || e.Action == "" {
		return fmt.Errorf("audit entry: %w: actor and action are required", ErrInvalid)
	}
	for _, j := range []json.RawMessage{e.Before, e.After} {
		if j != nil && !json.Valid(j) {
			return fmt.Errorf("audit entry %s: %w: before/after is not JSON", e.Action, ErrInvalid)
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO audit_log (actor, actor_email, action, target, before, after, request_id, client)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		e.Actor, e.ActorEmail, e.Action, e.Target, jsonParam(e.Before), jsonParam(e.After), e.RequestID, e.Client); err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// jsonParam is nil (SQL NULL) for an empty snapshot, else the JSON text.
func jsonParam(j json.RawMessage) any {
	if len(j) == 0 {
		return nil
	}
	return string(j)
}

// AuditFilter selects audit rows; zero fields select everything.
type AuditFilter struct {
	Since  time.Time // rows at or after
	Actor  string    // exact, e.g. "user:3"
	Action string    // exact, e.g. ActionUserAdd
	Target string    // exact, e.g. "region:32.73"
	Limit  int       // default 100, at most 1000
}

// Audit returns the audit rows matching f, newest first.
func Audit(ctx context.Context, pool *pgxpool.Pool, f AuditFilter) ([]AuditEntry, error) {
	// Conditions are fixed fragments; every value is a parameter.
	var where []string
	var args []any
	cond := func(sql string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(sql, len(args)))
	}
	if !f.Since.IsZero() {
		cond("at >= $%d", f.Since)
	}
	if f.Actor != "" {
		cond("actor = $%d", f.Actor)
	}
	if f.Action != "" {
		cond("action = $%d", f.Action)
	}
	if f.Target != "" {
		cond("target = $%d", f.Target)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	q := `SELECT id, at, actor, actor_email, action, target, before, after, request_id, client FROM audit_log`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	args = append(args, limit)
	q += fmt.Sprintf(" ORDER BY at DESC, id DESC LIMIT $%d", len(args))
	rows, err := pool.Query(ctx, q, args...)
	if err != nil {
		return nil, dbErr("audit log", fmt.Errorf("audit log: %w", err))
	}
	entries, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (AuditEntry, error) {
		var e AuditEntry
		var before, after []byte
		err := r.Scan(&e.ID, &e.At, &e.Actor, &e.ActorEmail, &e.Action, &e.Target, &before, &after, &e.RequestID, &e.Client)
		if before != nil {
			e.Before = before
		}
		if after != nil {
			e.After = after
		}
		return e, err
	})
	if err != nil {
		return nil, dbErr("audit log", fmt.Errorf("audit log: %w", err))
	}
	return entries, nil
}
