// Package storetest gives tests the databases the sink's store runs on: a
// SQLite file in a temp dir always, and PostgreSQL where
// NEWSPIPE_TEST_POSTGRES_DSN is set, each in a schema of its own that is
// dropped at cleanup, so parallel and repeated runs never see each other's
// rows.
package storetest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// EnvPostgres names the variable holding the PostgreSQL DSN to test
// against, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
const EnvPostgres = "NEWSPIPE_TEST_POSTGRES_DSN"

// Target is a database a test runs against. DSN returns a fresh, empty
// database on each call.
type Target struct {
	Name string // "sqlite" or "postgres"
	DSN  func(t testing.TB) string
}

// Targets returns SQLite and, where EnvPostgres is set, PostgreSQL: run the
// test body for each.
func Targets(t testing.TB) []Target {
	t.Helper()
	ts := []Target{{Name: "sqlite", DSN: func(t testing.TB) string {
		return filepath.Join(t.TempDir(), "data", "newspipe.db")
	}}}
	if dsn := os.Getenv(EnvPostgres); dsn != "" {
		ts = append(ts, Target{Name: "postgres", DSN: func(t testing.TB) string { return PostgresSchema(t, dsn) }})
	}
	return ts
}

var seq atomic.Int64

// PostgresSchema creates a schema on the server at dsn, drops it (with
// everything in it) at cleanup, and returns dsn with search_path set to it.
func PostgresSchema(t testing.TB, dsn string) string {
	t.Helper()
	schema := fmt.Sprintf("sinktest_%d_%d_%d", os.Getpid(), time.Now().UnixNano()%1e9, seq.Add(1))
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvPostgres, err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvPostgres, err)
	}
	admin := stdlib.OpenDB(*cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		t.Fatalf("create schema on %s: %v", EnvPostgres, err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
