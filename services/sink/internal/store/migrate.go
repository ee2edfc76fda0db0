package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/newspipe/newspipe/pkg/deal"
	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
)

// migration is one step of the schema: SQL statements, separated by ";\n"
// and using {{blob}} for the event column type (the only type that differs
// between the engines), then, where SQL alone cannot move the data, Go.
type migration struct {
	sql string
	// sqlite and postgres are statements for one engine only, run after
	// sql (full-text search is where the engines differ most).
	sqlite, postgres string
	fn               func(ctx context.Context, s *DB, tx *sql.Tx) error
}

// migrations are applied in order, each once, recorded in
// schema_migrations. Append new ones; never edit one that has shipped.
var migrations = []migration{
	// 1: stories, their topics, agreement novelty and alerts.
	{sql: `CREATE TABLE IF NOT EXISTS stories (
		id TEXT PRIMARY KEY,
		url TEXT NOT NULL,
		canonical_url TEXT NOT NULL,
		source_id TEXT NOT NULL,
		title TEXT NOT NULL,
		lang TEXT NOT NULL,
		ru_cn_tech BOOLEAN NOT NULL,
		score DOUBLE PRECISION NOT NULL,
		primary_topic TEXT NOT NULL,
		agreement BOOLEAN NOT NULL,
		agreement_key TEXT NOT NULL,
		agreement_first_article_id TEXT NOT NULL,
		published_at BIGINT NOT NULL,
		sort_at BIGINT NOT NULL,
		stored_at BIGINT NOT NULL,
		updated_at BIGINT NOT NULL,
		version BIGINT NOT NULL,
		data {{blob}} NOT NULL
	);
	CREATE INDEX IF NOT EXISTS stories_sort ON stories (sort_at DESC, id DESC);
	CREATE INDEX IF NOT EXISTS stories_rucn_sort ON stories (ru_cn_tech, sort_at DESC, id DESC);
	CREATE INDEX IF NOT EXISTS stories_agreement ON stories (agreement_key, agreement_first_article_id);
	CREATE TABLE IF NOT EXISTS story_topics (
		story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
		topic TEXT NOT NULL,
		PRIMARY KEY (story_id, topic)
	);
	CREATE INDEX IF NOT EXISTS story_topics_topic ON story_topics (topic, story_id);
	CREATE TABLE IF NOT EXISTS agreements (
		key TEXT PRIMARY KEY,
		first_article_id TEXT NOT NULL,
		first_url TEXT NOT NULL,
		first_title TEXT NOT NULL,
		first_lang TEXT NOT NULL,
		first_source_id TEXT NOT NULL,
		claimed_at BIGINT NOT NULL
	);
	CREATE TABLE IF NOT EXISTS alerts (
		key TEXT NOT NULL,
		article_id TEXT NOT NULL,
		url TEXT NOT NULL,
		title TEXT NOT NULL,
		lang TEXT NOT NULL,
		source_id TEXT NOT NULL,
		raised_at BIGINT NOT NULL,
		PRIMARY KEY (key, article_id)
	);
	CREATE INDEX IF NOT EXISTS alerts_raised ON alerts (raised_at DESC, key)`},
	// 2: webhook delivery state of each alert (an outbox).
	{sql: `ALTER TABLE alerts ADD COLUMN notify_state TEXT NOT NULL DEFAULT 'pending';
	ALTER TABLE alerts ADD COLUMN notify_attempts INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE alerts ADD COLUMN notify_after BIGINT NOT NULL DEFAULT 0;
	ALTER TABLE alerts ADD COLUMN notify_error TEXT NOT NULL DEFAULT '';
	CREATE INDEX IF NOT EXISTS alerts_notify ON alerts (notify_state, notify_after)`},
	// 3: several claims per agreement key, told apart by their parties
	// (see ClaimAgreement), and each story's link to its claim's alert.
	// A claim carried over from the one-claim-per-key table has both
	// sides unspecified, so it matches every report of its key until a
	// report names the parties or it leaves the window: as before.
	{sql: `CREATE TABLE IF NOT EXISTS agreement_claims (
		alert_key TEXT PRIMARY KEY,
		key TEXT NOT NULL,
		seq BIGINT NOT NULL,
		cn_party TEXT NOT NULL,
		ru_party TEXT NOT NULL,
		first_article_id TEXT NOT NULL,
		first_url TEXT NOT NULL,
		first_title TEXT NOT NULL,
		first_lang TEXT NOT NULL,
		first_source_id TEXT NOT NULL,
		claimed_at BIGINT NOT NULL
	);
	CREATE UNIQUE INDEX IF NOT EXISTS agreement_claims_key ON agreement_claims (key, seq);
	INSERT INTO agreement_claims (alert_key, key, seq, cn_party, ru_party,
		first_article_id, first_url, first_title, first_lang, first_source_id, claimed_at)
		SELECT key, key, 1, '', '', first_article_id, first_url, first_title, first_lang, first_source_id, claimed_at
		FROM agreements;
	DROP TABLE agreements;
	ALTER TABLE stories ADD COLUMN agreement_alert_key TEXT NOT NULL DEFAULT '';
	UPDATE stories SET agreement_alert_key = agreement_key WHERE agreement_first_article_id <> '';
	DROP INDEX IF EXISTS stories_agreement;
	CREATE INDEX IF NOT EXISTS stories_alert ON stories (agreement_alert_key, agreement_first_article_id)`},
	// 4: claims matched by subject or topic across agreement keys (see
	// ClaimAgreement), in one order across keys. migrateClaimGroups fills
	// in each claim's subject and topic and numbers the claims anew.
	{sql: `ALTER TABLE agreement_claims ADD COLUMN topic TEXT NOT NULL DEFAULT '';
	ALTER TABLE agreement_claims ADD COLUMN subject TEXT NOT NULL DEFAULT '';
	DROP INDEX IF EXISTS agreement_claims_key;
	CREATE INDEX IF NOT EXISTS agreement_claims_topic ON agreement_claims (topic, claimed_at);
	CREATE INDEX IF NOT EXISTS agreement_claims_subject ON agreement_claims (subject, claimed_at);
	CREATE INDEX IF NOT EXISTS agreement_claims_first ON agreement_claims (first_article_id);
	CREATE INDEX IF NOT EXISTS agreement_claims_seq ON agreement_claims (seq)`, fn: migrateClaimGroups},
	// 5: deals dated by their reports (see ClaimAgreement): the signing
	// date the reports state, when the first report was published, and
	// the deal's date (deal_at: the signing date, else that publication).
	// A claim made before has no stated date and its arrival as the
	// publication time, as the window then counted. cn_party and ru_party
	// now hold a side's party groups, comma-separated (one id is a set of
	// one).
	{sql: `ALTER TABLE agreement_claims ADD COLUMN signed_on TEXT NOT NULL DEFAULT '';
	ALTER TABLE agreement_claims ADD COLUMN reported_at BIGINT NOT NULL DEFAULT 0;
	ALTER TABLE agreement_claims ADD COLUMN deal_at BIGINT NOT NULL DEFAULT 0;
	UPDATE agreement_claims SET reported_at = claimed_at, deal_at = claimed_at;
	CREATE INDEX IF NOT EXISTS agreement_claims_topic_deal ON agreement_claims (topic, deal_at);
	CREATE INDEX IF NOT EXISTS agreement_claims_subject_deal ON agreement_claims (subject, deal_at)`},
	// 6: search and the filters of the analyst's workspace: each story's
	// entities, its agreement stage, and its text indexed for full-text
	// search (package search makes the tokens, the same for both
	// engines). SQLite keeps them in an FTS5 table whose rowids are the
	// docs of story_docs (a stories rowid may change on VACUUM);
	// PostgreSQL in a tsvector column with a GIN index. indexStories
	// fills them in for the stories already stored.
	{sql: `ALTER TABLE stories ADD COLUMN agreement_stage TEXT NOT NULL DEFAULT '';
	CREATE TABLE IF NOT EXISTS story_entities (
		story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
		entity TEXT NOT NULL,
		PRIMARY KEY (story_id, entity)
	);
	CREATE INDEX IF NOT EXISTS story_entities_entity ON story_entities (entity, story_id);
	CREATE INDEX IF NOT EXISTS stories_lang_sort ON stories (lang, sort_at DESC, id DESC);
	CREATE INDEX IF NOT EXISTS stories_source_sort ON stories (source_id, sort_at DESC, id DESC);
	CREATE INDEX IF NOT EXISTS stories_stored ON stories (stored_at)`,
		sqlite: `CREATE TABLE IF NOT EXISTS story_docs (
		doc INTEGER PRIMARY KEY,
		story_id TEXT NOT NULL UNIQUE REFERENCES stories (id) ON DELETE CASCADE
	);
	CREATE VIRTUAL TABLE IF NOT EXISTS story_search USING fts5 (terms, tokenize = 'ascii', content = '', contentless_delete = 1)`,
		postgres: `ALTER TABLE stories ADD COLUMN search tsvector NOT NULL DEFAULT ''::tsvector;
	CREATE INDEX IF NOT EXISTS stories_search ON stories USING GIN (search)`,
		fn: indexStories},
	// 7: webhook deliveries, one row per alert and endpoint, written by the
	// webhook stage (package sink) so that a redelivered alert, a replay
	// of the alerts stream or a restart never POSTs an alert twice to an
	// endpoint that took it. The outbox columns of migration 2 are no
	// longer written.
	{sql: `CREATE TABLE IF NOT EXISTS webhook_deliveries (
		alert_key TEXT NOT NULL,
		endpoint TEXT NOT NULL,
		state TEXT NOT NULL,
		attempts INTEGER NOT NULL,
		last_error TEXT NOT NULL,
		updated_at BIGINT NOT NULL,
		PRIMARY KEY (alert_key, endpoint)
	)`},
	// 8: copies of one story (wire copy, reprints) grouped by the
	// cleaner's near-duplicate fingerprint (see group): the fingerprint,
	// its four 16-bit bands (two fingerprints at most groupBits apart share
	// one, so each band's index finds the candidates) and the group.
	// groupStories groups the stories already stored.
	{sql: `ALTER TABLE stories ADD COLUMN simhash BIGINT NOT NULL DEFAULT 0;
	ALTER TABLE stories ADD COLUMN sh0 INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE stories ADD COLUMN sh1 INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE stories ADD COLUMN sh2 INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE stories ADD COLUMN sh3 INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE stories ADD COLUMN group_id TEXT NOT NULL DEFAULT '';
	CREATE INDEX IF NOT EXISTS stories_sh0 ON stories (sh0);
	CREATE INDEX IF NOT EXISTS stories_sh1 ON stories (sh1);
	CREATE INDEX IF NOT EXISTS stories_sh2 ON stories (sh2);
	CREATE INDEX IF NOT EXISTS stories_sh3 ON stories (sh3);
	CREATE INDEX IF NOT EXISTS stories_group ON stories (group_id, sort_at)`, fn: groupStories},
}

// groupStories groups the stories stored before migration 8, in the order
// they arrived, as they would have been grouped arriving.
func groupStories(ctx context.Context, s *DB, tx *sql.Tx) error {
	stories, err := readStories(ctx, tx, `ORDER BY stored_at, id`)
	if err != nil {
		return err
	}
	for _, a := range stories {
		if err := s.group(ctx, tx, a); err != nil {
			return err
		}
	}
	return nil
}

// readStories decodes the stored events, in the order tail gives.
func readStories(ctx context.Context, tx *sql.Tx, tail string) ([]*newspipev1.EnrichedArticle, error) {
	rs, err := tx.QueryContext(ctx, `SELECT id, data FROM stories `+tail)
	if err != nil {
		return nil, fmt.Errorf("read stories: %w", err)
	}
	defer rs.Close()
	var out []*newspipev1.EnrichedArticle
	for rs.Next() {
		var (
			id   string
			data []byte
		)
		if err := rs.Scan(&id, &data); err != nil {
			return nil, fmt.Errorf("read stories: %w", err)
		}
		a, err := unmarshal(data)
		if err != nil {
			return nil, fmt.Errorf("decode story %s: %w", id, err)
		}
		out = append(out, a)
	}
	if err := rs.Err(); err != nil {
		return nil, fmt.Errorf("read stories: %w", err)
	}
	return out, nil
}

// migrateClaimGroups gives each claim made before claims had subjects and
// topics the ones a report of it would now give: those of its first story
// (DealOf) where that story is stored with the claim's key, else those of
// the key. The events then had no subject field, so the subject comes from
// the key's subject segment either way. It also numbers the claims in one
// sequence, oldest first: seq used to count within a key.
func migrateClaimGroups(ctx context.Context, s *DB, tx *sql.Tx) error {
	type row struct {
		alertKey, key, firstID string
		data                   []byte
	}
	rs, err := tx.QueryContext(ctx, `SELECT c.alert_key, c.key, c.first_article_id, s.data
		FROM agreement_claims c LEFT JOIN stories s ON s.id = c.first_article_id AND s.agreement_key = c.key
		ORDER BY c.claimed_at, c.key, c.seq`)
	if err != nil {
		return fmt.Errorf("read claims: %w", err)
	}
	var rows []row
	for rs.Next() {
		var r row
		if err := rs.Scan(&r.alertKey, &r.key, &r.firstID, &r.data); err != nil {
			rs.Close()
			return fmt.Errorf("read claims: %w", err)
		}
		rows = append(rows, r)
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return fmt.Errorf("read claims: %w", err)
	}
	for i, r := range rows {
		d := Deal{Key: r.key, Report: deal.FromProto(&newspipev1.Agreement{Key: r.key}, time.Time{})}
		if r.data != nil {
			a, err := unmarshal(r.data)
			if err != nil {
				return fmt.Errorf("decode story %s: %w", r.firstID, err)
			}
			d = DealOf(a, time.Time{})
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE agreement_claims SET topic = ?, subject = ?, seq = ?
			WHERE alert_key = ?`), d.Topic, d.Subject, i+1, r.alertKey); err != nil {
			return fmt.Errorf("claim %s: %w", r.alertKey, err)
		}
	}
	return nil
}

// indexStories indexes the stories stored before migration 6 for search
// and the new filters.
func indexStories(ctx context.Context, s *DB, tx *sql.Tx) error {
	stories, err := readStories(ctx, tx, "")
	if err != nil {
		return err
	}
	for _, a := range stories {
		if err := s.indexSearch(ctx, tx, a); err != nil {
			return err
		}
	}
	return nil
}

// migrateLock is the PostgreSQL advisory lock taken while migrating, so
// that replicas starting together do not race on the schema.
const migrateLock = 7_261_030_118_415

// migrate applies the missing migrations in one transaction. On SQLite the
// transaction takes the write lock at BEGIN (_txlock=immediate), on
// PostgreSQL an advisory lock: either way a second opener, such as another
// replica starting at the same moment, waits and then finds nothing to do.
// Even CREATE TABLE IF NOT EXISTS needs the lock: on PostgreSQL two
// concurrent ones can both try to create the table and one fails.
func (s *DB) migrate(ctx context.Context) (err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if s.dialect.numbered {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, migrateLock); err != nil {
			return fmt.Errorf("lock: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		applied_at BIGINT NOT NULL
	)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	for i, m := range migrations[:s.schema] {
		if err := s.apply(ctx, tx, i+1, m); err != nil {
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
	}
	return tx.Commit()
}

// apply runs migration version unless it is recorded already.
func (s *DB) apply(ctx context.Context, tx *sql.Tx, version int, m migration) error {
	var one int
	switch err := tx.QueryRowContext(ctx, s.q(`SELECT 1 FROM schema_migrations WHERE version = ?`), version).Scan(&one); err {
	case nil:
		return nil
	case sql.ErrNoRows:
	default:
		return err
	}
	own := m.sqlite
	if s.dialect.numbered {
		own = m.postgres
	}
	for _, stmt := range strings.Split(strings.ReplaceAll(m.sql+";\n"+own, "{{blob}}", s.dialect.blob), ";\n") {
		if strings.TrimSpace(stmt) == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%s: %w", firstLine(stmt), err)
		}
	}
	if m.fn != nil {
		if err := m.fn(ctx, s, tx); err != nil {
			return err
		}
	}
	_, err := tx.ExecContext(ctx, s.q(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`),
		version, nanos(s.now()))
	return err
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
