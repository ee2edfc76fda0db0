package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
	"github.com/newspipe/newspipe/services/sink/internal/search"
)

// searchSchema is the migration that added the search and its filters.
const searchSchema = 6

// index writes what the filters, the search and the groups read of the
// stored story a, within the transaction that stored it.
func (s *DB) index(ctx context.Context, tx *sql.Tx, a *newspipev1.EnrichedArticle) error {
	if err := s.indexSearch(ctx, tx, a); err != nil {
		return err
	}
	return s.group(ctx, tx, a)
}

// indexSearch writes the story's topics, entities, agreement stage and
// search tokens (package search).
func (s *DB) indexSearch(ctx context.Context, tx *sql.Tx, a *newspipev1.EnrichedArticle) error {
	id := a.GetArticle().GetId()
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM story_topics WHERE story_id = ?`), id); err != nil {
		return fmt.Errorf("store: index story %s: topics: %w", id, err)
	}
	for _, t := range storyTopics(a) {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO story_topics (story_id, topic) VALUES (?, ?)`), id, t); err != nil {
			return fmt.Errorf("store: index story %s: topic %s: %w", id, t, err)
		}
	}
	if s.schema < searchSchema {
		return nil // a test's database as an older sink left it
	}
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM story_entities WHERE story_id = ?`), id); err != nil {
		return fmt.Errorf("store: index story %s: entities: %w", id, err)
	}
	for _, e := range storyEntities(a) {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO story_entities (story_id, entity) VALUES (?, ?)`), id, e); err != nil {
			return fmt.Errorf("store: index story %s: entity %s: %w", id, e, err)
		}
	}

	c := a.GetArticle()
	toks := search.Tokens(append([]string{c.GetTitle()}, c.GetParagraphs()...)...)
	stage := NormalizeTopic(a.GetAgreement().GetStage())
	if s.dialect.numbered {
		if _, err := tx.ExecContext(ctx, `UPDATE stories SET agreement_stage = $1, search = $2::tsvector WHERE id = $3`,
			stage, tsvector(toks), id); err != nil {
			return fmt.Errorf("store: index story %s: search: %w", id, err)
		}
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE stories SET agreement_stage = ? WHERE id = ?`, stage, id); err != nil {
		return fmt.Errorf("store: index story %s: stage: %w", id, err)
	}
	var doc int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO story_docs (story_id) VALUES (?)
		ON CONFLICT (story_id) DO UPDATE SET story_id = excluded.story_id RETURNING doc`, id).Scan(&doc); err != nil {
		return fmt.Errorf("store: index story %s: search doc: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM story_search WHERE rowid = ?`, doc); err != nil {
		return fmt.Errorf("store: index story %s: search: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO story_search (rowid, terms) VALUES (?, ?)`,
		doc, strings.Join(toks, " ")); err != nil {
		return fmt.Errorf("store: index story %s: search: %w", id, err)
	}
	return nil
}

// storyEntities returns the ids of the story's entities, without repeats.
func storyEntities(a *newspipev1.EnrichedArticle) []string {
	var out []string
	for _, e := range a.GetEntities() {
		if id := e.GetId(); id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// maxPosition is the largest word position a PostgreSQL tsvector holds;
// later words are all put there, so they are found, though not as phrases.
const maxPosition = 16383

// tsvector writes tokens as a tsvector literal with their positions, so
// that PostgreSQL indexes exactly package search's tokens: its own parser
// and dictionaries would cut and fold them differently from SQLite.
func tsvector(toks []string) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(quoteLexeme(t))
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(min(i+1, maxPosition)))
	}
	return b.String()
}

// quoteLexeme quotes a token for a tsvector or tsquery literal. Tokens hold
// only letters and digits, but the quoting does not rely on it.
func quoteLexeme(t string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(t) + "'"
}

// tsquery writes q as a tsquery literal: every clause (&), each a phrase
// (<->) whose last token may be a prefix (:*).
func tsquery(q search.Query) string {
	var clauses []string
	for _, c := range q {
		parts := make([]string, len(c.Tokens))
		for i, t := range c.Tokens {
			parts[i] = quoteLexeme(t)
		}
		if c.Prefix {
			parts[len(parts)-1] += ":*"
		}
		clauses = append(clauses, "("+strings.Join(parts, " <-> ")+")")
	}
	return strings.Join(clauses, " & ")
}

// ftsQuery writes q as an SQLite FTS5 query: every clause (AND), each a
// phrase in double quotes, a prefix one followed by *.
func ftsQuery(q search.Query) string {
	var clauses []string
	for _, c := range q {
		p := `"` + strings.ReplaceAll(strings.Join(c.Tokens, " "), `"`, `""`) + `"`
		if c.Prefix {
			p += " *"
		}
		clauses = append(clauses, p)
	}
	return strings.Join(clauses, " AND ")
}
