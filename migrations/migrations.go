// Package migrations holds the numbered SQL files that build mppmap's schema, embedded so the
// binary migrates any database it is pointed at. Files use goose's annotations
// (-- +goose Up / Down); data.Migrate applies them under an advisory lock.
package migrations

import "embed"

// FS holds every migration; names are NNNN_description.sql and are applied in order.
//
//go:embed *.sql
var FS embed.FS
