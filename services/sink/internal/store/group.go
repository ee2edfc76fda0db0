package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/bits"
	"strings"
	"time"

	newspipev1 "github.com/newspipe/newspipe/proto/newspipe/v1"
)

// Copies of one story (wire copy, reprints, lightly edited versions) are
// grouped by the cleaner's near-duplicate fingerprint, a 64-bit SimHash of
// the text: stories whose fingerprints differ in at most groupBits bits
// and that came out within groupSpan of each other are one group, named
// by the id of the group's first story. Listings can show a group once
// (Filter.Grouped), with its size (Story.Group).
//
// Two copies stored at the same moment by two replicas of a PostgreSQL
// sink may not see each other and start two groups; grouping is a
// convenience of the listings, not an identity.
const (
	groupBits = 3
	groupSpan = 14 * 24 * time.Hour
	// groupSchema is the migration that added groups.
	groupSchema = 8
)

// GroupInfo is what a listing says of a story's group.
type GroupInfo struct {
	// ID names the group: its first story's id ("" for a story without a
	// fingerprint, which is in no group).
	ID string
	// Stories counts the stories of the group, Sources their sources.
	Stories, Sources int
}

// bands cuts a fingerprint into the four 16-bit bands the candidates are
// looked up by: two fingerprints at most groupBits (< 4) bits apart share
// at least one band.
func bands(h uint64) [4]int64 {
	return [4]int64{int64(h & 0xffff), int64(h >> 16 & 0xffff), int64(h >> 32 & 0xffff), int64(h >> 48 & 0xffff)}
}

// group puts the stored story a in the group of its nearest earlier copy,
// or in a group of its own.
func (s *DB) group(ctx context.Context, tx *sql.Tx, a *newspipev1.EnrichedArticle) error {
	if s.schema < groupSchema {
		return nil // a test's database as an older sink left it
	}
	id := a.GetArticle().GetId()
	h := a.GetArticle().GetSimhash()
	if h == 0 {
		_, err := tx.ExecContext(ctx, s.q(`UPDATE stories SET simhash = 0, sh0 = 0, sh1 = 0, sh2 = 0, sh3 = 0, group_id = '' WHERE id = ?`), id)
		if err != nil {
			return fmt.Errorf("store: group story %s: %w", id, err)
		}
		return nil
	}
	var at int64
	if err := tx.QueryRowContext(ctx, s.q(`SELECT sort_at FROM stories WHERE id = ?`), id).Scan(&at); err != nil {
		return fmt.Errorf("store: group story %s: %w", id, err)
	}
	b := bands(h)
	rows, err := tx.QueryContext(ctx, s.q(`SELECT id, simhash, group_id FROM stories
		WHERE (sh0 = ? OR sh1 = ? OR sh2 = ? OR sh3 = ?) AND simhash <> 0 AND id <> ? AND sort_at >= ? AND sort_at <= ?
		ORDER BY stored_at, id`),
		b[0], b[1], b[2], b[3], id, at-int64(groupSpan), at+int64(groupSpan))
	if err != nil {
		return fmt.Errorf("store: group story %s: %w", id, err)
	}
	gid := id
	for rows.Next() {
		var (
			other, otherGroup string
			oh                int64
		)
		if err := rows.Scan(&other, &oh, &otherGroup); err != nil {
			rows.Close()
			return fmt.Errorf("store: group story %s: %w", id, err)
		}
		if bits.OnesCount64(uint64(oh)^h) <= groupBits {
			gid = otherGroup
			if gid == "" {
				gid = other
			}
			break
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: group story %s: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, s.q(`UPDATE stories SET simhash = ?, sh0 = ?, sh1 = ?, sh2 = ?, sh3 = ?, group_id = ? WHERE id = ?`),
		int64(h), b[0], b[1], b[2], b[3], gid, id); err != nil {
		return fmt.Errorf("store: group story %s: %w", id, err)
	}
	return nil
}

// groupInfo fills in the group of each story.
func (s *DB) groupInfo(ctx context.Context, stories []Story) error {
	if s.schema < groupSchema {
		return nil
	}
	var ids []any
	for _, st := range stories {
		if st.Group.ID != "" {
			ids = append(ids, st.Group.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT group_id, COUNT(*), COUNT(DISTINCT source_id) FROM stories
		WHERE group_id IN (?`+strings.Repeat(", ?", len(ids)-1)+`) GROUP BY group_id`), ids...)
	if err != nil {
		return fmt.Errorf("store: story groups: %w", err)
	}
	defer rows.Close()
	info := map[string]GroupInfo{}
	for rows.Next() {
		var g GroupInfo
		if err := rows.Scan(&g.ID, &g.Stories, &g.Sources); err != nil {
			return fmt.Errorf("store: story groups: %w", err)
		}
		info[g.ID] = g
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: story groups: %w", err)
	}
	for i := range stories {
		if g, ok := info[stories[i].Group.ID]; ok {
			stories[i].Group = g
		}
	}
	return nil
}
