// Package store keeps the sink's enriched stories and agreement alerts in a
// SQL database: an embedded SQLite file by default (pure Go, no cgo, WAL
// mode), or PostgreSQL when given a postgres:// or postgresql:// DSN. Both
// backends share one schema and one set of queries, and the schema is
// migrated idempotently when the store is opened.
//
// Each story is kept whole (the EnrichedArticle as protobuf bytes) beside
// the indexed columns the filters use. Writes are idempotent by article id:
// a redelivered event changes nothing, a later version of the same article
// replaces the earlier one.
//
// Agreement novelty lives here too, so that several sink replicas sharing a
// PostgreSQL database alert once per agreement: ClaimAgreement decides, in
// one transaction serialised per match group (below), whether a report is
// about an agreement already claimed or about a new one.
//
// # Agreement claims and alert keys
//
// The store does not match reports by the classifier's agreement key but by
// the deal's fields (Deal, pkg/deal): the party groups of each side, the
// subject and topic, the stated signing date and the report's publication
// time. A report belongs to the oldest claim it is the same deal as
// (deal.Same) and adds what it knows to it (deal.Merge): party groups, its
// subject, a finer signing date. A report that is the same deal as no claim
// is a new agreement: a new claim, and an alert. So "lunar" and "navigation"
// deals of the same parties are two agreements, two deals of the same
// parties and subject signed months apart are two, and a report of CNSA's
// space deal that names no subject joins the oldest claim of its topic.
// Matching is greedy, so the order of reports can matter: a first report
// that names no subject makes a claim only reports of its topic can join.
//
// A report's match group is "s:<subject>" when it has a subject, else
// "t:<topic>"; the groups serialise claims on PostgreSQL (ClaimAgreement).
//
// Each claim has an alert key, unique and stable, which names its alert
// (the AgreementAlert event, its message id "alert:<alert key>", the
// alerts listed by ListAlerts):
//
//	<key>@<month>     the agreement key of the claim's first report and the
//	                  month of its deal: the stated signing date's (its year
//	                  where it states only the year), else the first
//	                  report's publication month
//	<key>@<month>~2   where another claim holds that already; ~3, … after it
//
// for example rucn:huawei+mts/telecom/mobile@2019-06. Claims made before
// alert keys had months keep their keys.
//
// A DB is safe for concurrent use.
package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"google.golang.org/protobuf/proto"

	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"

	// The pure-Go SQLite driver registers itself as "sqlite".
	_ "modernc.org/sqlite"
)

// Options tunes a DB. The zero value is the production setting.
type Options struct {
	// Now is the store's clock, for stored_at and agreement windows;
	// default time.Now. Tests move it to cross a window.
	Now func() time.Time
	// schema stops the migrations at this version (0: the latest), so
	// that tests can build a database as an older sink left it.
	schema int
	// beforeRefine, if set, runs in ClaimAgreement between reading the
	// claim a report matches and refining it, so that a test can change
	// the claim from another replica in between.
	beforeRefine func()
}

// DB is a story store on SQLite or PostgreSQL.
type DB struct {
	db      *sql.DB
	dialect dialect
	now     func() time.Time
	// schema is the number of migrations to apply.
	schema int
	// beforeRefine: see Options.
	beforeRefine func()
	// target names the database for errors and logs, without credentials.
	target string
	// lockSpace is the PostgreSQL schema the store lives in, which its
	// advisory locks are keyed by (see lockGroups).
	lockSpace string
}

// Open opens the store described by dsn and applies the migrations.
//
// A dsn starting with postgres:// or postgresql:// opens PostgreSQL (put
// search_path=<schema> in its query to use a schema other than public);
// anything else is the path of a SQLite file, optionally prefixed by
// "sqlite:", whose directory is created if missing.
func Open(ctx context.Context, dsn string, o Options) (*DB, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.schema <= 0 || o.schema > len(migrations) {
		o.schema = len(migrations)
	}
	switch {
	case dsn == "":
		return nil, ErrNoDSN
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return openPostgres(ctx, dsn, o)
	default:
		return openSQLite(ctx, strings.TrimPrefix(dsn, "sqlite:"), o)
	}
}

func openPostgres(ctx context.Context, dsn string, o Options) (*DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		// pgconn redacts the password in the DSN it quotes.
		return nil, fmt.Errorf("store: parse postgres dsn: %w: %w", ErrInvalid, err)
	}
	target := fmt.Sprintf("postgres://%s:%d/%s", cfg.Host, cfg.Port, cfg.Database)
	// pgx prepares every statement, and after five runs PostgreSQL may
	// switch it to a generic plan that cannot see the search terms: it
	// then walks every story by time for a rare word (tens of ms at 10,000
	// stories). A custom plan per query costs well under a millisecond.
	if _, ok := cfg.RuntimeParams["plan_cache_mode"]; !ok {
		cfg.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(4)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s := &DB{db: db, dialect: postgresDialect, now: o.Now, schema: o.schema, target: target, beforeRefine: o.beforeRefine}
	if err := s.init(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func openSQLite(ctx context.Context, path string, o Options) (*DB, error) {
	if path == "" {
		return nil, ErrNoDSN
	}
	if strings.ContainsAny(path, "?#") || strings.HasPrefix(path, "file:") || path == ":memory:" {
		// An in-memory database is one per connection, and our own query
		// parameters below would clash with a caller's.
		return nil, fmt.Errorf("store: sqlite path %q: give a plain file path: %w", path, ErrInvalid)
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("store: create data dir %s: %w", dir, err)
		}
	}
	// WAL lets the API read while the stage writes; busy_timeout makes a
	// second writer wait instead of failing; _txlock=immediate takes the
	// write lock when a transaction begins, so a read-then-write
	// transaction cannot deadlock against another one.
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
		"&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	s := &DB{db: db, dialect: sqliteDialect, now: o.Now, schema: o.schema, target: "sqlite:" + path,
		beforeRefine: o.beforeRefine}
	if err := s.init(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func (s *DB) init(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("store: connect %s: %w", s.target, err)
	}
	if s.dialect.numbered {
		if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(current_schema(), '')`).Scan(&s.lockSpace); err != nil {
			return fmt.Errorf("store: schema of %s: %w", s.target, err)
		}
	}
	if err := s.migrate(ctx); err != nil {
		return fmt.Errorf("store: migrate %s: %w", s.target, err)
	}
	return nil
}

// Backend returns "sqlite" or "postgres".
func (s *DB) Backend() string { return s.dialect.name }

// String names the database without credentials, for logs.
func (s *DB) String() string { return s.target }

// Ping checks that the database answers; the sink uses it as a readiness
// probe.
func (s *DB) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping %s: %w", s.target, err)
	}
	return nil
}

// Close closes the database.
func (s *DB) Close() error { return s.db.Close() }

func (s *DB) q(query string) string { return s.dialect.rebind(query) }

// ArticleRef points at a stored article; it mirrors newspipev1.ArticleRef.
type ArticleRef struct {
	ID       string
	URL      string
	Title    string
	Lang     string
	SourceID string
}

// RefOf returns the reference to the article of a.
func RefOf(a *newspipev1.EnrichedArticle) ArticleRef {
	c := a.GetArticle()
	return ArticleRef{ID: c.GetId(), URL: c.GetUrl(), Title: c.GetTitle(), Lang: c.GetLang(), SourceID: c.GetSourceId()}
}

// Proto returns r as the event type.
func (r ArticleRef) Proto() *newspipev1.ArticleRef {
	return &newspipev1.ArticleRef{Id: r.ID, Url: r.URL, Title: r.Title, Lang: r.Lang, SourceId: r.SourceID}
}

// Story is one stored article.
type Story struct {
	// Article is the enriched event as the classifier published it. The
	// store never modifies it.
	Article *newspipev1.EnrichedArticle
	// AgreementFirstArticleID links a story that reports an agreement to
	// the first stored article about it (its own id for the first one);
	// empty for stories without an agreement key.
	AgreementFirstArticleID string
	// AgreementAlertKey is the alert key of the agreement claim the story
	// was linked to (see ClaimAgreement); empty without an agreement key.
	AgreementAlertKey string
	// Time orders stories: when the article was published, or fetched
	// where the page did not say, never later than when it was stored.
	Time time.Time
	// StoredAt is when the story was first stored, UpdatedAt when it last
	// changed. Set by the store.
	StoredAt  time.Time
	UpdatedAt time.Time
	// Group is the story's group of copies (see GroupInfo); set by
	// GetStory and ListStories.
	Group GroupInfo
}

// ID returns the article id.
func (s Story) ID() string { return s.Article.GetArticle().GetId() }

// PutResult says what PutStory did.
type PutResult int

// PutStory results.
const (
	// Unchanged: the store already held this version of the story.
	Unchanged PutResult = iota
	// Inserted: the story is new.
	Inserted
	// Updated: a later version replaced the stored one.
	Updated
)

// String returns the result's name, used as a metric label.
func (r PutResult) String() string {
	switch r {
	case Inserted:
		return "inserted"
	case Updated:
		return "updated"
	default:
		return "unchanged"
	}
}

// marshal encodes the event; deterministic so that the same event gives the
// same bytes, which is how a redelivery is told from a change.
func marshal(a *newspipev1.EnrichedArticle) ([]byte, error) {
	return proto.MarshalOptions{Deterministic: true}.Marshal(a)
}

func unmarshal(b []byte) (*newspipev1.EnrichedArticle, error) {
	a := &newspipev1.EnrichedArticle{}
	if err := proto.Unmarshal(b, a); err != nil {
		return nil, err
	}
	return a, nil
}

// nanos stores times as Unix nanoseconds: both engines compare BIGINTs the
// same way, whereas their timestamp types and text formats differ.
// Times outside what int64 nanoseconds can hold (years 1678 to 2262) are
// clamped, so that since=1000-01-01T00:00:00Z still means "everything".
func nanos(t time.Time) int64 {
	switch {
	case t.IsZero():
		return 0
	case t.Before(time.Unix(0, math.MinInt64)):
		return math.MinInt64
	case t.After(time.Unix(0, math.MaxInt64)):
		return math.MaxInt64
	}
	return t.UnixNano()
}

func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}
