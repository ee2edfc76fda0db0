package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
	"github.com/newspipe/newspipe/services/sink/internal/search"
)

// List limits.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// Filter selects stories for ListStories. Zero fields select everything.
type Filter struct {
	// RuCn keeps only Russia–China technology stories (true) or only the
	// others (false).
	RuCn *bool
	// Topic keeps stories tagged with this topic (any of their topics, not
	// only the primary one).
	Topic string
	// Agreement keeps stories that report a signed agreement (true) or
	// those that do not (false).
	Agreement *bool
	// Query keeps stories whose title or text match it (package search).
	Query search.Query
	// Entity keeps stories naming the entity (its taxonomy id).
	Entity string
	// Lang and Source keep stories in the language, or from the source.
	Lang, Source string
	// Stage keeps stories reporting an agreement at that stage (intent,
	// negotiation, signed, …).
	Stage string
	// AlertKey keeps the reports of one agreement: the stories linked to
	// the alert with that key.
	AlertKey string
	// Group keeps the copies of one story: the stories of the group with
	// that id (Story.GroupID).
	Group string
	// Grouped lists each group of copies once, as its newest story the
	// filter selects.
	Grouped bool
	// Since and Until keep stories whose Time (publication, else fetch;
	// see Story.Time) is at or after Since and before Until.
	Since, Until time.Time
	// StoredSince and StoredUntil keep stories that first arrived in the
	// store (Story.StoredAt) at or after StoredSince and before
	// StoredUntil.
	StoredSince, StoredUntil time.Time
	// Limit caps the page; 0 means DefaultLimit, more than MaxLimit+1
	// means MaxLimit+1 (one more than a page, so that a caller can tell
	// whether another page follows).
	Limit int
	// Before continues a listing after the last story of a previous page.
	Before Cursor
}

// PutStory stores st.Article by its article id. It is idempotent: the same
// event stored twice changes nothing (Unchanged). A version classified later
// (times.classified_at) replaces the stored one (Updated); an earlier one is
// ignored, so out-of-order redeliveries cannot roll a story back. Within one
// version, a different payload or agreement link (first article or alert
// key) also counts as a change.
// The store sets StoredAt, UpdatedAt and Time; st's own values are ignored.
func (s *DB) PutStory(ctx context.Context, st Story) (res PutResult, err error) {
	a := st.Article
	id := a.GetArticle().GetId()
	if id == "" {
		return Unchanged, fmt.Errorf("store: put story: %w: article has no id", ErrInvalid)
	}
	data, err := marshal(a)
	if err != nil {
		return Unchanged, fmt.Errorf("store: put story %s: encode: %w", id, err)
	}
	now := s.now()
	c := a.GetArticle()
	ag := a.GetAgreement()
	version := nanos(a.GetTimes().GetClassifiedAt().AsTime())
	if a.GetTimes().GetClassifiedAt() == nil {
		version = 0
	}
	// Column order shared by the insert and the update below.
	cols := []any{
		c.GetUrl(), c.GetCanonicalUrl(), c.GetSourceId(), c.GetTitle(), c.GetLang(),
		a.GetRuCnTech(), a.GetScore(), a.GetPrimaryTopic(),
		ag.GetDetected(), ag.GetKey(), st.AgreementFirstArticleID, st.AgreementAlertKey,
		publishedNanos(c), nanos(storyTime(a, now)), version, data,
	}

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return Unchanged, fmt.Errorf("store: put story %s: begin: %w", id, err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()

	// Insert-or-nothing, then a conditional update: the rows-affected count
	// of each says which case this was, on both engines. On PostgreSQL a
	// concurrent insert of the same id makes the second wait for the first
	// and then fall through to the update.
	ins, err := tx.ExecContext(ctx, s.q(`INSERT INTO stories (id, url, canonical_url, source_id, title, lang,
		ru_cn_tech, score, primary_topic, agreement, agreement_key, agreement_first_article_id,
		agreement_alert_key, published_at, sort_at, version, data, stored_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO NOTHING`), append(append([]any{id}, cols...), nanos(now), nanos(now))...)
	if err != nil {
		return Unchanged, fmt.Errorf("store: put story %s: insert: %w", id, err)
	}
	if n, err := ins.RowsAffected(); err != nil {
		return Unchanged, fmt.Errorf("store: put story %s: insert: %w", id, err)
	} else if n == 1 {
		res = Inserted
	} else {
		up, err := tx.ExecContext(ctx, s.q(`UPDATE stories SET url = ?, canonical_url = ?, source_id = ?,
			title = ?, lang = ?, ru_cn_tech = ?, score = ?, primary_topic = ?, agreement = ?,
			agreement_key = ?, agreement_first_article_id = ?, agreement_alert_key = ?, published_at = ?,
			sort_at = ?, version = ?, data = ?, updated_at = ?
			WHERE id = ? AND (version < ? OR (version = ? AND (data <> ? OR agreement_first_article_id <> ?
				OR agreement_alert_key <> ?)))`),
			append(cols, nanos(now), id, version, version, data, st.AgreementFirstArticleID, st.AgreementAlertKey)...)
		if err != nil {
			return Unchanged, fmt.Errorf("store: put story %s: update: %w", id, err)
		}
		n, err := up.RowsAffected()
		if err != nil {
			return Unchanged, fmt.Errorf("store: put story %s: update: %w", id, err)
		}
		if n == 0 {
			return Unchanged, tx.Commit()
		}
		res = Updated
	}

	if err := s.index(ctx, tx, a); err != nil {
		return Unchanged, err
	}
	if err := tx.Commit(); err != nil {
		return Unchanged, fmt.Errorf("store: put story %s: commit: %w", id, err)
	}
	return res, nil
}

// storyTopics returns the story's topics, primary one included, normalised
// and without repeats.
func storyTopics(a *newspipev1.EnrichedArticle) []string {
	var ts []string
	for _, t := range append([]string{a.GetPrimaryTopic()}, a.GetTopics()...) {
		t = NormalizeTopic(t)
		if t != "" && !slices.Contains(ts, t) {
			ts = append(ts, t)
		}
	}
	return ts
}

// NormalizeTopic is how topics are compared: trimmed and lower-cased.
func NormalizeTopic(t string) string { return strings.ToLower(strings.TrimSpace(t)) }

func publishedNanos(c *newspipev1.CleanArticle) int64 {
	if c.GetPublishedAt() == nil {
		return 0
	}
	return nanos(c.GetPublishedAt().AsTime())
}

// storyTime is the time a story is listed by: its publication time, else
// its fetch time, capped at now so that a page claiming a future date does
// not stick to the top of every listing.
func storyTime(a *newspipev1.EnrichedArticle, now time.Time) time.Time {
	c := a.GetArticle()
	var t time.Time
	switch {
	case c.GetPublishedAt() != nil:
		t = c.GetPublishedAt().AsTime()
	case a.GetTimes().GetFetchedAt() != nil:
		t = a.GetTimes().GetFetchedAt().AsTime()
	case c.GetTimes().GetFetchedAt() != nil:
		t = c.GetTimes().GetFetchedAt().AsTime()
	}
	if t.IsZero() || t.Before(time.Unix(0, 1)) || t.After(now) {
		return now
	}
	return t
}

// storyColumns are the columns scanStory reads; group_id only where the
// schema has it (tests build older ones).
func (s *DB) storyColumns() string {
	g := "group_id"
	if s.schema < groupSchema {
		g = "''"
	}
	return `data, agreement_first_article_id, agreement_alert_key, sort_at, stored_at, updated_at, ` + g
}

type scanner interface{ Scan(dest ...any) error }

func scanStory(r scanner) (Story, error) {
	var (
		data                      []byte
		st                        Story
		sortAt, storedAt, updated int64
	)
	if err := r.Scan(&data, &st.AgreementFirstArticleID, &st.AgreementAlertKey, &sortAt, &storedAt, &updated, &st.Group.ID); err != nil {
		return Story{}, err
	}
	a, err := unmarshal(data)
	if err != nil {
		return Story{}, fmt.Errorf("decode stored event: %w", err)
	}
	st.Article = a
	st.Time, st.StoredAt, st.UpdatedAt = fromNanos(sortAt), fromNanos(storedAt), fromNanos(updated)
	return st, nil
}

// GetStory returns the story with article id id, or ErrNotFound.
func (s *DB) GetStory(ctx context.Context, id string) (Story, error) {
	row := s.db.QueryRowContext(ctx, s.q(`SELECT `+s.storyColumns()+` FROM stories WHERE id = ?`), id)
	st, err := scanStory(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Story{}, fmt.Errorf("store: get story %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return Story{}, fmt.Errorf("store: get story %s: %w", id, err)
	}
	one := []Story{st}
	if err := s.groupInfo(ctx, one); err != nil {
		return Story{}, err
	}
	return one[0], nil
}

// ListStories returns the stories f selects, newest first (by Time, then by
// id descending). When as many stories as the limit came back, CursorOf the
// last one continues the listing.
func (s *DB) ListStories(ctx context.Context, f Filter) ([]Story, error) {
	where, args := s.filter(f, "s")
	if f.Grouped {
		// A group shows as its newest story among those the filter
		// selects: skip a story when a newer one of its group is selected.
		ow, oargs := s.filter(f, "o")
		cond := `(s.group_id = '' OR NOT EXISTS (SELECT 1 FROM stories o WHERE o.group_id = s.group_id
			AND (o.sort_at > s.sort_at OR (o.sort_at = s.sort_at AND o.id > s.id))`
		if len(ow) > 0 {
			cond += " AND " + strings.Join(ow, " AND ")
		}
		where, args = append(where, cond+"))"), append(args, oargs...)
	}
	if !f.Before.IsZero() {
		b := nanos(f.Before.Time)
		where = append(where, "(s.sort_at < ? OR (s.sort_at = ? AND s.id < ?))")
		args = append(args, b, b, f.Before.ID)
	}
	// The page's ids first, then their stories: sorting ids is cheap,
	// sorting whole stories (the encoded event is kilobytes) is not.
	q := `SELECT s.id FROM stories s`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY s.sort_at DESC, s.id DESC LIMIT ?"
	q = `SELECT ` + s.storyColumns() + ` FROM stories WHERE id IN (` + q + `) ORDER BY sort_at DESC, id DESC`
	args = append(args, listLimit(f.Limit))

	rows, err := s.db.QueryContext(ctx, s.q(q), args...)
	if err != nil {
		return nil, fmt.Errorf("store: list stories: %w", err)
	}
	defer rows.Close()
	var out []Story
	for rows.Next() {
		st, err := scanStory(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list stories: %w", err)
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list stories: %w", err)
	}
	if err := s.groupInfo(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// filter returns the conditions of f, but its cursor, on the stories
// table as alias t, and their arguments.
func (s *DB) filter(f Filter, t string) (where []string, args []any) {
	c := func(col string) string { return t + "." + col }
	if f.RuCn != nil {
		where, args = append(where, c("ru_cn_tech")+" = ?"), append(args, *f.RuCn)
	}
	if f.Agreement != nil {
		where, args = append(where, c("agreement")+" = ?"), append(args, *f.Agreement)
	}
	if tp := NormalizeTopic(f.Topic); tp != "" {
		where = append(where, "EXISTS (SELECT 1 FROM story_topics tp WHERE tp.story_id = "+c("id")+" AND tp.topic = ?)")
		args = append(args, tp)
	}
	if f.Entity != "" {
		where = append(where, "EXISTS (SELECT 1 FROM story_entities en WHERE en.story_id = "+c("id")+" AND en.entity = ?)")
		args = append(args, f.Entity)
	}
	if f.AlertKey != "" {
		where, args = append(where, c("agreement_alert_key")+" = ?"), append(args, f.AlertKey)
	}
	if f.Group != "" {
		where, args = append(where, c("group_id")+" = ?"), append(args, f.Group)
	}
	if f.Lang != "" {
		where, args = append(where, c("lang")+" = ?"), append(args, f.Lang)
	}
	if f.Source != "" {
		where, args = append(where, c("source_id")+" = ?"), append(args, f.Source)
	}
	if f.Stage != "" {
		where, args = append(where, c("agreement_stage")+" = ?"), append(args, NormalizeTopic(f.Stage))
	}
	if len(f.Query) > 0 {
		if s.dialect.numbered {
			where, args = append(where, c("search")+" @@ ?::tsquery"), append(args, tsquery(f.Query))
		} else {
			// The unary + keeps SQLite from looking every match up by id
			// and sorting them: it walks the time index instead, newest
			// first, and stops at a page of matches.
			where = append(where, `+`+c("id")+` IN (SELECT d.story_id FROM story_docs d
				WHERE d.doc IN (SELECT rowid FROM story_search WHERE story_search MATCH ?))`)
			args = append(args, ftsQuery(f.Query))
		}
	}
	if !f.Since.IsZero() {
		where, args = append(where, c("sort_at")+" >= ?"), append(args, nanos(f.Since))
	}
	if !f.Until.IsZero() {
		where, args = append(where, c("sort_at")+" < ?"), append(args, nanos(f.Until))
	}
	if !f.StoredSince.IsZero() {
		where, args = append(where, c("stored_at")+" >= ?"), append(args, nanos(f.StoredSince))
	}
	if !f.StoredUntil.IsZero() {
		where, args = append(where, c("stored_at")+" < ?"), append(args, nanos(f.StoredUntil))
	}
	return where, args
}

// listLimit is limit, but allows one more than MaxLimit (see Filter.Limit).
func listLimit(n int) int {
	if n > MaxLimit {
		return MaxLimit + 1
	}
	return limit(n)
}

func limit(n int) int {
	switch {
	case n <= 0:
		return DefaultLimit
	case n > MaxLimit:
		return MaxLimit
	default:
		return n
	}
}

// SourceStats is what the store knows of one source's stories.
type SourceStats struct {
	ID string
	// Stories counts the source's stories, RuCn those about Russia–China
	// technology.
	Stories, RuCn int
	// Latest is the newest story's Time, LastStored when the sink last
	// stored a new story of it.
	Latest, LastStored time.Time
}

// ListSources returns every source that has a stored story, by id.
func (s *DB) ListSources(ctx context.Context) ([]SourceStats, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT source_id, COUNT(*),
		SUM(CASE WHEN ru_cn_tech THEN 1 ELSE 0 END), MAX(sort_at), MAX(stored_at)
		FROM stories GROUP BY source_id ORDER BY source_id`))
	if err != nil {
		return nil, fmt.Errorf("store: list sources: %w", err)
	}
	defer rows.Close()
	var out []SourceStats
	for rows.Next() {
		var (
			st             SourceStats
			latest, stored int64
		)
		if err := rows.Scan(&st.ID, &st.Stories, &st.RuCn, &latest, &stored); err != nil {
			return nil, fmt.Errorf("store: list sources: %w", err)
		}
		st.Latest, st.LastStored = fromNanos(latest), fromNanos(stored)
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list sources: %w", err)
	}
	return out, nil
}
