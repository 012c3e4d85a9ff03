// Package localpg runs the private PostgreSQL + PostGIS cluster of mppmap's embedded default:
// `mppmap serve` without DATABASE_URL initialises a cluster in a data directory once, starts it
// listening on a unix socket only (nothing on the network), and stops it on shutdown.
//
// PostgreSQL refuses to run as root, so when mppmap runs as root the cluster's files belong to
// the `postgres` OS user and every server command runs through runuser. When that user cannot
// reach the requested directory (a clone under /root, mode 700), the cluster lives in
// FallbackRoot/<hash of the requested path> instead: the same requested directory always maps to
// the same place, so restarts find their data.
package localpg

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// ErrMissing says the PostgreSQL server or PostGIS is not installed; the message says how to
// install them.
var ErrMissing = errors.New("PostgreSQL server or PostGIS not installed")

// DefaultFallbackRoot holds the clusters of requested directories the postgres OS user cannot
// reach (only when running as root); Cluster.FallbackRoot starts as it.
const DefaultFallbackRoot = "/var/lib/mppmap"

// Cluster is one private cluster in Dir.
type Cluster struct {
	Dir       string // data directory root: pg/ holds the cluster, run/ the socket; see Requested
	Requested string // the directory asked for; Dir differs from it after a fallback (see Start)
	// FallbackRoot is where the cluster moves when the postgres OS user cannot reach Dir
	// (FallbackDir); New sets DefaultFallbackRoot.
	FallbackRoot string
	BinDir       string
	log          *slog.Logger
	runAs        string // OS user for server commands ("" = current user)
	sock         string
	tmpDir       bool // sock is a private temporary directory of ours, removed on Stop
}

// Find locates the server binaries (PG_BINDIR, else the newest /usr/lib/postgresql/*/bin) and
// checks that PostGIS is installed for them.
func Find(binDir string) (string, error) {
	if binDir == "" {
		dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
		sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) < versionOf(dirs[j]) })
		for i := len(dirs) - 1; i >= 0; i-- {
			if _, err := os.Stat(filepath.Join(dirs[i], "initdb")); err == nil {
				binDir = dirs[i]
				break
			}
		}
	}
	hint := "install them with: sudo apt-get install postgresql-15-postgis-3 (Debian/Ubuntu), or set DATABASE_URL to an existing PostgreSQL with PostGIS"
	if binDir == "" {
		return "", fmt.Errorf("%w: no initdb under /usr/lib/postgresql/*/bin (set PG_BINDIR); %s", ErrMissing, hint)
	}
	for _, b := range []string{"initdb", "pg_ctl", "postgres", "pg_config"} {
		if _, err := os.Stat(filepath.Join(binDir, b)); err != nil {
			return "", fmt.Errorf("%w: %s missing in %s; %s", ErrMissing, b, binDir, hint)
		}
	}
	out, err := exec.Command(filepath.Join(binDir, "pg_config"), "--sharedir").Output()
	if err != nil {
		return "", fmt.Errorf("pg_config --sharedir: %w", err)
	}
	control := filepath.Join(strings.TrimSpace(string(out)), "extension", "postgis.control")
	if _, err := os.Stat(control); err != nil {
		return "", fmt.Errorf("%w: PostGIS not found (%s); %s", ErrMissing, control, hint)
	}
	return binDir, nil
}

func versionOf(binDir string) int {
	var v int
	fmt.Sscanf(filepath.Base(filepath.Dir(binDir)), "%d", &v)
	return v
}

// New prepares a cluster in dir (created if missing) using the binaries in binDir.
func New(dir, binDir string, log *slog.Logger) (*Cluster, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	c := &Cluster{Dir: abs, Requested: abs, FallbackRoot: DefaultFallbackRoot, BinDir: binDir, log: log}
	if os.Geteuid() == 0 {
		if _, err := user.Lookup("postgres"); err != nil {
			return nil, fmt.Errorf("running as root needs the `postgres` OS user (PostgreSQL refuses root); it comes with the postgresql package: %w", err)
		}
		c.runAs = "postgres"
	}
	c.sock = filepath.Join(abs, "run")
	// A unix socket path is limited to ~107 bytes; fall back to a short private dir.
	if len(c.sock)+len("/.s.PGSQL.5432") > 100 {
		c.sock, err = os.MkdirTemp("", "mppmap-sock-")
		if err != nil {
			return nil, err
		}
		c.tmpDir = true
	}
	return c, nil
}

// URL is the connection string for database name on this cluster.
func (c *Cluster) URL(name string) string {
	u := url.URL{Scheme: "postgres", User: url.User("postgres"), Path: "/" + name}
	q := url.Values{"host": {c.sock}, "sslmode": {"disable"}}
	u.RawQuery = q.Encode()
	return u.String()
}

// Start initialises the cluster on first use and starts it; it returns when the server accepts
// connections.
func (c *Cluster) Start(ctx context.Context) error {
	if err := c.prepareDirs(ctx); err != nil {
		return err
	}
	pgdata := filepath.Join(c.Dir, "pg")
	if _, err := os.Stat(filepath.Join(pgdata, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		c.log.Info("initialising private PostgreSQL cluster", "dir", pgdata)
		if err := c.run(ctx, filepath.Join(c.BinDir, "initdb"), "-D", pgdata, "-U", "postgres",
			"-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"); err != nil {
			return fmt.Errorf("initdb: %w", err)
		}
	}
	opts := fmt.Sprintf("-c listen_addresses='' -c unix_socket_directories='%s' -c unix_socket_permissions=0700", c.sock)
	if os.Geteuid() == 0 {
		// root connects as a client too; the socket dir is private to postgres, root passes anyway.
		opts = fmt.Sprintf("-c listen_addresses='' -c unix_socket_directories='%s'", c.sock)
	}
	c.log.Info("starting private PostgreSQL", "dir", pgdata, "socket", c.sock)
	if err := c.run(ctx, filepath.Join(c.BinDir, "pg_ctl"), "-D", pgdata, "-l", filepath.Join(c.Dir, "postgres.log"),
		"-w", "-t", "60", "-o", opts, "start"); err != nil {
		return fmt.Errorf("pg_ctl start (log: %s): %w", filepath.Join(c.Dir, "postgres.log"), err)
	}
	return nil
}

// prepareDirs creates the data and socket directories, owned by the postgres OS user when we are
// root. If that user cannot reach the requested directory, the cluster moves to FallbackDir
// under c.FallbackRoot.
func (c *Cluster) prepareDirs(ctx context.Context) error {
	if err := c.mkdirs(); err != nil {
		return err
	}
	if c.runAs == "" || c.reachable(ctx, c.Dir) {
		return nil
	}
	requested := c.Dir
	if _, err := os.Stat(filepath.Join(requested, "pg", "PG_VERSION")); err == nil {
		// Starting an empty cluster elsewhere would hide this one's data: say so instead.
		return fmt.Errorf("a cluster exists in %s but the postgres OS user cannot reach it (check the permissions of every parent directory), or set MPPMAP_PGDATA to a directory it can reach", requested)
	}
	c.Dir = FallbackDir(c.FallbackRoot, requested)
	if !c.tmpDir {
		c.sock = filepath.Join(c.Dir, "run")
	}
	if err := os.MkdirAll(c.FallbackRoot, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", c.FallbackRoot, err)
	}
	if err := c.mkdirs(); err != nil {
		return err
	}
	if !c.reachable(ctx, c.Dir) {
		return fmt.Errorf("the postgres OS user can reach neither %s nor %s; set MPPMAP_PGDATA to a directory it can reach", requested, c.Dir)
	}
	// A note on both sides, for whoever looks for the data.
	_ = os.WriteFile(filepath.Join(requested, "CLUSTER_LOCATION.txt"), []byte(
		"The postgres OS user cannot reach this directory, so mppmap's private PostgreSQL cluster lives in\n"+c.Dir+"\n"), 0o644)
	_ = os.WriteFile(filepath.Join(c.Dir, "REQUESTED_DIR.txt"), []byte(
		"mppmap's private PostgreSQL cluster for the data directory\n"+requested+"\n"), 0o644)
	c.log.Warn("the postgres OS user cannot reach the data directory; the private PostgreSQL cluster lives in a directory it can reach instead (set MPPMAP_PGDATA to choose one)",
		"requested", requested, "cluster", c.Dir)
	return nil
}

// FallbackDir is where the cluster for the requested directory (an absolute path) lives when the
// postgres OS user cannot reach it: root/<first 12 hex digits of its SHA-256>.
func FallbackDir(root, requested string) string {
	sum := sha256.Sum256([]byte(filepath.Clean(requested)))
	return filepath.Join(root, hex.EncodeToString(sum[:6]))
}

func (c *Cluster) mkdirs() error {
	for _, d := range []string{c.Dir, c.sock} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return fmt.Errorf("create %s: %w", d, err)
		}
		if err := c.chown(d); err != nil {
			return err
		}
	}
	return nil
}

// reachable reports whether the postgres OS user can write dir (and so reach every parent).
func (c *Cluster) reachable(ctx context.Context, dir string) bool {
	return c.run(ctx, "test", "-w", dir) == nil
}

// Stop shuts the cluster down (fast mode: in-flight transactions roll back).
func (c *Cluster) Stop(ctx context.Context) error {
	c.log.Info("stopping private PostgreSQL")
	if err := c.run(ctx, filepath.Join(c.BinDir, "pg_ctl"), "-D", filepath.Join(c.Dir, "pg"), "-m", "fast", "-w", "stop"); err != nil {
		return err
	}
	if c.tmpDir {
		return os.RemoveAll(c.sock)
	}
	return nil
}

func (c *Cluster) chown(path string) error {
	if c.runAs == "" {
		return nil
	}
	u, err := user.Lookup(c.runAs)
	if err != nil {
		return err
	}
	var uid, gid int
	fmt.Sscanf(u.Uid, "%d", &uid)
	fmt.Sscanf(u.Gid, "%d", &gid)
	return os.Chown(path, uid, gid)
}

// run executes a server command, as the postgres user when we are root.
func (c *Cluster) run(ctx context.Context, name string, args ...string) error {
	if c.runAs != "" {
		args = append([]string{"-u", c.runAs, "--", name}, args...)
		name = "runuser"
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = "/"
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w: %s", filepath.Base(name), err, strings.TrimSpace(out.String()))
	}
	return nil
}
