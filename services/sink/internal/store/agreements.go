package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Claim is the answer of ClaimAgreement.
type Claim struct {
	// First reports whether the claiming article is the first article of
	// the agreement: true for the article that won the claim, also when it
	// claims again (a redelivery), false for every other article.
	First bool
	// New reports whether this very call made the claim; false when an
	// earlier call (maybe by another replica) did.
	New bool
	// FirstArticle is the agreement's first article.
	FirstArticle ArticleRef
	// RaisedAt is when the first article claimed the key: the alert's time.
	RaisedAt time.Time
}

// ClaimAgreement records ref as the first article of agreement key unless
// another article claimed the key less than window ago. It is atomic, so
// concurrent sink replicas agree on one first article, and idempotent for
// the first article itself, so that an alert whose publish failed is
// published again when the article is redelivered.
//
// The window counts from the first claim: a key claimed longer ago than
// window counts as new again (the same parties signing the same kind of deal
// next year is a new agreement), and the article that claims it then becomes
// its first article. Each claim also records an alert, listed by ListAlerts.
func (s *DB) ClaimAgreement(ctx context.Context, key string, window time.Duration, ref ArticleRef) (c Claim, err error) {
	if key == "" || ref.ID == "" {
		return Claim{}, fmt.Errorf("store: claim agreement %q: %w: empty key or article id", key, ErrInvalid)
	}
	now := s.now()
	cutoff := now.Add(-window)

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Claim{}, fmt.Errorf("store: claim agreement %s: begin: %w", key, err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()

	// One statement decides: insert, or take over an expired claim. The
	// second condition keeps a redelivered first article from restarting
	// its own window.
	rows, err := tx.QueryContext(ctx, s.q(`INSERT INTO agreements
		(key, first_article_id, first_url, first_title, first_lang, first_source_id, claimed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET first_article_id = excluded.first_article_id,
			first_url = excluded.first_url, first_title = excluded.first_title,
			first_lang = excluded.first_lang, first_source_id = excluded.first_source_id,
			claimed_at = excluded.claimed_at
		WHERE agreements.claimed_at < ? AND agreements.first_article_id <> excluded.first_article_id
		RETURNING claimed_at`),
		key, ref.ID, ref.URL, ref.Title, ref.Lang, ref.SourceID, nanos(now), nanos(cutoff))
	if err != nil {
		return Claim{}, fmt.Errorf("store: claim agreement %s: %w", key, err)
	}
	won := rows.Next()
	rows.Close()
	if err := rows.Err(); err != nil {
		return Claim{}, fmt.Errorf("store: claim agreement %s: %w", key, err)
	}

	if won {
		c = Claim{First: true, New: true, FirstArticle: ref, RaisedAt: fromNanos(nanos(now))}
	} else {
		var claimedAt int64
		err := tx.QueryRowContext(ctx, s.q(`SELECT first_article_id, first_url, first_title, first_lang,
			first_source_id, claimed_at FROM agreements WHERE key = ?`), key).
			Scan(&c.FirstArticle.ID, &c.FirstArticle.URL, &c.FirstArticle.Title, &c.FirstArticle.Lang,
				&c.FirstArticle.SourceID, &claimedAt)
		if err != nil {
			return Claim{}, fmt.Errorf("store: claim agreement %s: read claim: %w", key, err)
		}
		c.First = c.FirstArticle.ID == ref.ID
		c.RaisedAt = fromNanos(claimedAt)
	}
	if c.First {
		f := c.FirstArticle
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO alerts (key, article_id, url, title, lang, source_id, raised_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key, article_id) DO NOTHING`),
			key, f.ID, f.URL, f.Title, f.Lang, f.SourceID, nanos(c.RaisedAt)); err != nil {
			return Claim{}, fmt.Errorf("store: claim agreement %s: record alert: %w", key, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return Claim{}, fmt.Errorf("store: claim agreement %s: commit: %w", key, err)
	}
	return c, nil
}

// Alert is a raised agreement alert.
type Alert struct {
	Key          string
	FirstArticle ArticleRef
	RaisedAt     time.Time
	// First is the first article's story; nil if it is not stored (yet).
	// The agreement's details (parties, kind, evidence) are in
	// First.Article.Agreement.
	First *Story
	// Reports counts the stored stories linked to this alert's first
	// article, the first one included.
	Reports int
	// NotifyAttempts counts failed webhook deliveries so far.
	NotifyAttempts int
}

// ListAlerts returns up to limit alerts (0: DefaultLimit, at most MaxLimit),
// newest first.
func (s *DB) ListAlerts(ctx context.Context, n int) ([]Alert, error) {
	alerts, err := s.queryAlerts(ctx, s.db, `ORDER BY a.raised_at DESC, a.key DESC LIMIT ?`, limit(n))
	if err != nil {
		return nil, fmt.Errorf("store: list alerts: %w", err)
	}
	return alerts, nil
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// queryAlerts selects alerts with their first story; tail is the WHERE /
// ORDER BY / LIMIT part, with the alerts table as "a".
func (s *DB) queryAlerts(ctx context.Context, db querier, tail string, args ...any) ([]Alert, error) {
	rows, err := db.QueryContext(ctx, s.q(`SELECT a.key, a.article_id, a.url, a.title, a.lang, a.source_id, a.raised_at,
			a.notify_attempts, s.data, s.agreement_first_article_id, s.sort_at, s.stored_at, s.updated_at,
			(SELECT COUNT(*) FROM stories r WHERE r.agreement_key = a.key AND r.agreement_first_article_id = a.article_id)
		FROM alerts a LEFT JOIN stories s ON s.id = a.article_id `+tail), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Alert
	for rows.Next() {
		var (
			al                        Alert
			raised                    int64
			data                      []byte
			link                      *string
			sortAt, storedAt, updated *int64
		)
		f := &al.FirstArticle
		if err := rows.Scan(&al.Key, &f.ID, &f.URL, &f.Title, &f.Lang, &f.SourceID, &raised, &al.NotifyAttempts,
			&data, &link, &sortAt, &storedAt, &updated, &al.Reports); err != nil {
			return nil, err
		}
		al.RaisedAt = fromNanos(raised)
		if data != nil {
			a, err := unmarshal(data)
			if err != nil {
				return nil, fmt.Errorf("decode story %s: %w", f.ID, err)
			}
			al.First = &Story{Article: a, AgreementFirstArticleID: *link,
				Time: fromNanos(*sortAt), StoredAt: fromNanos(*storedAt), UpdatedAt: fromNanos(*updated)}
		}
		out = append(out, al)
	}
	return out, rows.Err()
}
