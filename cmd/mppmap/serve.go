package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"mppmap/api"
	"mppmap/dashboard"
	"mppmap/data"
	"mppmap/figures"
	"mppmap/locale"
)

// serve migrates, imports the reference data when the database is empty, loads the read model
// and serves until ctx ends; then it finishes in-flight requests and stops what it started.
func serve(ctx context.Context, cfg config, log *slog.Logger) error {
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
		rep, err := data.Import(ctx, db.pool, cfg.DataDir, log)
		if err != nil {
			return fmt.Errorf("import %s: %w", cfg.DataDir, err)
		}
		log.Info("import done", "took", rep.Took.Round(time.Millisecond))
	}
	cat, err := locale.Load()
	if err != nil {
		return err
	}
	models := figures.NewHolder()
	live := data.NewLive(db.pool, log, models.Load)
	app, err := newApp(models, live, cat, cfg.TrustedProxies, log)
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
	log.Info("serving", "url", "http://"+ln.Addr().String()+"/")
	errc := make(chan error, 1)
	go func() { errc <- app.Listener(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing in-flight requests")
	shutCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := app.ShutdownWithContext(shutCtx); err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// readiness is what /readyz asks.
type readiness interface {
	Ping(ctx context.Context) error
}

// models is where the surfaces read the current Model and register their warm-ups
// (figures.Holder).
type models interface {
	figures.Source
	OnLoad(func(*figures.Model) error)
}

// newApp assembles the HTTP surface over the models: probes, the API and the pages, each surface
// with its own error page (problem+json under /api/, HTML in the site's layout elsewhere).
// Warm-ups the surfaces register run on every new Model before it is served.
func newApp(models models, db readiness, cat *locale.Catalog, trustedProxies []string, log *slog.Logger) (*fiber.App, error) {
	apiH := api.New(models, cat, log)
	models.OnLoad(apiH.Warm)
	dash, err := dashboard.New(models, cat, log)
	if err != nil {
		return nil, err
	}
	models.OnLoad(dash.Warm)
	apiErrors := api.ErrorHandler(log)
	proxyHeader := ""
	if len(trustedProxies) > 0 {
		proxyHeader = fiber.HeaderXForwardedFor
	}
	app := fiber.New(fiber.Config{
		ProxyHeader:             proxyHeader,
		EnableTrustedProxyCheck: len(trustedProxies) > 0,
		TrustedProxies:          trustedProxies,
		AppName:                 "mppmap",
		DisableStartupMessage:   true,
		ErrorHandler: func(c *fiber.Ctx, err error) error {
			if isAPIPath(c.Path()) {
				return apiErrors(c, err)
			}
			return dash.ErrorHandler(c, err)
		},
		ReadTimeout:  10 * time.Second,
		WriteTimeout: 30 * time.Second,
		IdleTimeout:  60 * time.Second,
	})
	app.Use(recover.New())
	app.Get("/healthz", func(c *fiber.Ctx) error { return c.SendString("ok") })
	app.Get("/readyz", func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
		defer cancel()
		if models.Model() == nil {
			return c.Status(fiber.StatusServiceUnavailable).SendString("not ready: read model not loaded")
		}
		if err := db.Ping(ctx); err != nil {
			return c.Status(fiber.StatusServiceUnavailable).SendString("not ready: " + err.Error())
		}
		return c.SendString("ready")
	})
	apiH.Register(app)
	dash.Register(app)
	return app, nil
}

// isAPIPath reports whether a request path belongs to the API surface.
func isAPIPath(p string) bool { return p == "/api" || strings.HasPrefix(p, "/api/") }
