package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"mppmap/api"
	"mppmap/clientip"
	"mppmap/dashboard"
	"mppmap/data"
	"mppmap/data/refdata"
	"mppmap/figures"
	"mppmap/ledger"
	"mppmap/locale"
	"mppmap/manage"
	"mppmap/observe"
	"mppmap/session"
	"mppmap/submit"
)

// serve migrates, imports the reference data when the database is empty, loads the read model
// and serves until ctx ends; then it finishes in-flight requests and stops what it started.
func serve(ctx context.Context, cfg config, log *slog.Logger) error {
	metrics := observe.NewMetrics()
	db, err := openDatabase(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.close(log)
	if err := data.Migrate(ctx, db.pool, log); err != nil {
		return err
	}
	empty, err := data.IsEmpty(ctx, db.pool)
	if err != nil {
		return err
	}
	if empty {
		log.Info("database is empty: importing reference data", "dir", cfg.DataDir)
		rep, err := importInto(ctx, db.pool, cfg.DataDir, metrics, log)
		if err != nil {
			return fmt.Errorf("import %s: %w", cfg.DataDir, err)
		}
		log.Info("import done", "took", rep.Took.Round(time.Millisecond))
	}
	cat, err := locale.Load()
	if err != nil {
		return err
	}
	clients, err := clientip.New(cfg.TrustedProxies)
	if err != nil {
		return err
	}
	models := figures.NewHolder()
	live := data.NewLive(db.pool, log, models.Load)
	live.OnReload(metrics.Reload)
	metrics.GaugeFunc("mppmap_read_model_age_seconds", "Seconds since the read model being served was loaded.", func() float64 {
		if at := live.State().LoadedAt; !at.IsZero() {
			return time.Since(at).Seconds()
		}
		return 0
	})
	metrics.Collector(observe.NewPoolCollector(db.pool))
	app, err := newApp(appDeps{Models: models, DB: live, Catalog: cat, Clients: clients, Metrics: metrics, Log: log, PublicURL: cfg.PublicURL,
		Pool: db.pool})
	if err != nil {
		return err
	}
	// LISTEN first, then the first load: no change committed in between is missed.
	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	if err := live.Start(watchCtx); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	errc := make(chan error, 2)
	var metricsSrv *http.Server
	if cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("listen on %s (metrics): %w", cfg.MetricsAddr, err)
		}
		mux := http.NewServeMux()
		mux.Handle("/metrics", promhttp.HandlerFor(metrics.Registry, promhttp.HandlerOpts{Registry: metrics.Registry}))
		metricsSrv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
		go func() {
			if err := metricsSrv.Serve(mln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				errc <- fmt.Errorf("metrics: %w", err)
			}
		}()
		log.Info("metrics", "url", "http://"+mln.Addr().String()+"/metrics")
	}
	log.Info("serving", "url", "http://"+ln.Addr().String()+"/")
	go func() { errc <- app.Listener(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing in-flight requests")
	shutCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if metricsSrv != nil {
		_ = metricsSrv.Shutdown(shutCtx)
	}
	if err := app.ShutdownWithContext(shutCtx); err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// importInto imports a reference folder, counting its outcome and duration.
func importInto(ctx context.Context, pool *pgxpool.Pool, dir string, metrics *observe.Metrics, log *slog.Logger) (*data.ImportReport, error) {
	start := time.Now()
	rep, err := data.Import(ctx, pool, dir, log)
	outcome := "changed"
	var probs refdata.Problems
	switch {
	case errors.As(err, &probs):
		outcome = "rejected"
	case err != nil:
		outcome = "failed"
	case rep.NoChange():
		outcome = "unchanged"
	}
	if metrics != nil {
		metrics.Import(outcome, time.Since(start))
	}
	return rep, err
}

// liveState is what /readyz asks and reports (data.Live).
type liveState interface {
	Ping(ctx context.Context) error
	State() data.LiveState
}

// models is where the surfaces read the current Model and register their warm-ups
// (figures.Holder).
type models interface {
	figures.Source
	OnLoad(func(*figures.Model) error)
}

// readyBody is /readyz's answer: public reads come from the read model in memory, so an
// instance is ready while it has one, whether the database answers or not — a load balancer must
// not drain every instance while the database restarts, the very case the read model is for.
type readyBody struct {
	Ready       bool   `json:"ready"`
	Database    string `json:"database"` // up | down
	DatabaseErr string `json:"database_error,omitempty"`
	DataAsOf    string `json:"data_as_of,omitempty"`
	LoadedAt    string `json:"read_model_loaded_at,omitempty"`
	AgeSeconds  int64  `json:"read_model_age_seconds"`
	Reloads     int    `json:"reloads"`
	Failures    int    `json:"reload_failures"`
	LastReload  string `json:"last_reload"` // ok | the error of the last reload
	Listening   bool   `json:"change_listener"`
}

// appDeps is what the HTTP surface is assembled from.
type appDeps struct {
	Models    models
	DB        liveState
	Catalog   *locale.Catalog
	Clients   *clientip.Resolver // nil: no trusted proxies
	Metrics   *observe.Metrics   // nil: no metrics
	Log       *slog.Logger
	PublicURL string // the site's public address, for share tags; "" for site-absolute URLs
	// Pool is the database the stewards' writes go to; nil serves public reads only.
	Pool *pgxpool.Pool
}

// newApp assembles the HTTP surface over the models: probes, the API and the pages, each surface
// with its own error page (problem+json under /api/, HTML in the site's layout elsewhere), and in
// front of all the access log and the request metrics. Warm-ups the surfaces register run on
// every new Model before it is served.
func newApp(d appDeps) (*fiber.App, error) {
	models, db, cat, clients, metrics, log := d.Models, d.DB, d.Catalog, d.Clients, d.Metrics, d.Log
	if clients == nil {
		clients = &clientip.Resolver{}
	}
	apiH := api.New(models, cat, clients, log)
	var submissions *submit.Service
	var writes *ledger.Service
	var sessions *session.Manager
	models.OnLoad(apiH.Warm)
	if d.Pool != nil {
		var err error
		if sessions, err = session.New(d.Pool, clients, log); err != nil {
			return nil, err
		}
		writes = ledger.New(d.Pool, models)
		apiH.WithWrites(writes, sessions)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		subs, err := submit.New(ctx, d.Pool, models)
		cancel()
		if err != nil {
			return nil, err
		}
		apiH.WithSubmissions(subs)
		submissions = subs
	}
	// The pages' /api reference renders the document the API serves (api and dashboard do not
	// import each other).
	doc, err := apiH.Document()
	if err != nil {
		return nil, err
	}
	dash, err := dashboard.New(models, cat, log, dashboard.Config{PublicURL: d.PublicURL, APIReference: doc})
	if err != nil {
		return nil, err
	}
	models.OnLoad(dash.Warm)
	if submissions != nil {
		dash.WithSubmissions(submissions, clients.String)
	}
	var stewards *manage.Handler // the /kelola pages: only with a database to write to
	if writes != nil {
		if stewards, err = manage.New(manage.Deps{Ledger: writes, Sessions: sessions, Accounts: sessions, Models: models,
			Catalog: cat, AssetURL: dash.AssetURL, Client: clients.String, Log: log}); err != nil {
			return nil, err
		}
	}
	apiErrors := api.ErrorHandler(log)
	app := fiber.New(fiber.Config{
		AppName:               "mppmap",
		DisableStartupMessage: true,
		ErrorHandler: func(c *fiber.Ctx, err error) error {
			if isAPIPath(c.Path()) {
				return apiErrors(c, err)
			}
			if stewards != nil && stewards.Owns(c.Path()) {
				return stewards.ErrorHandler(c, err)
			}
			return dash.ErrorHandler(c, err)
		},
		ReadTimeout:  10 * time.Second,
		WriteTimeout: 30 * time.Second,
		IdleTimeout:  60 * time.Second,
	})
	app.Use(observe.Middleware(metrics, log, clients.String))
	app.Use(recover.New())
	app.Get("/healthz", func(c *fiber.Ctx) error { return c.SendString("ok") })
	app.Get("/readyz", func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
		defer cancel()
		st := db.State()
		b := readyBody{Database: "up", Reloads: st.Reloads, Failures: st.Failures, LastReload: "ok", Listening: st.Listening}
		if err := db.Ping(ctx); err != nil {
			b.Database, b.DatabaseErr = "down", err.Error()
		}
		if st.LastError != "" {
			b.LastReload = st.LastError
		}
		m := models.Model()
		if m != nil {
			b.Ready = true
			b.DataAsOf = m.Snap.DataAsOf.Format("2006-01-02")
		}
		if !st.LoadedAt.IsZero() {
			b.LoadedAt = st.LoadedAt.UTC().Format(time.RFC3339)
			b.AgeSeconds = int64(time.Since(st.LoadedAt).Seconds())
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		if !b.Ready {
			return c.Status(fiber.StatusServiceUnavailable).JSON(b)
		}
		return c.JSON(b)
	})
	apiH.Register(app)
	if stewards != nil {
		stewards.Register(app) // before the dashboard, whose 404 would answer its paths
	}
	dash.Register(app)
	return app, nil
}

// isAPIPath reports whether a request path belongs to the API surface (/api itself is the
// pages' API reference).
func isAPIPath(p string) bool { return strings.HasPrefix(p, "/api/") }
