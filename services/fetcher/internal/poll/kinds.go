package poll

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"

	"github.com/newspipe/newspipe/services/fetcher/internal/fetch"
	"github.com/newspipe/newspipe/services/fetcher/internal/mend"
	"github.com/newspipe/newspipe/services/fetcher/internal/section"
	"github.com/newspipe/newspipe/services/fetcher/internal/sitemap"
	"github.com/newspipe/newspipe/services/fetcher/internal/sources"
)

// pollSitemap reads a sitemap, or an index and its newest MaxChildSitemaps
// sitemaps. An index is fetched in full every poll (its children change
// without it), so its State keeps only the fingerprint of all the bodies.
func (p *Poller) pollSitemap(ctx context.Context, src sources.Source, st State) (Result, error) {
	res, body, err := p.fetchDoc(ctx, src, fetch.KindSitemap, st)
	if err != nil || res.NotModified {
		return res, err
	}
	doc, err := p.readSitemap(body, res.URL, src, &res)
	if err != nil {
		return res, fmt.Errorf("poll %s: %w", src.URL, err)
	}
	entries := doc.Entries
	if doc.Index {
		h := sha256.New()
		h.Write(body)
		entries = nil
		for _, child := range sitemap.Newest(doc.Entries)[:min(len(doc.Entries), p.cfg.MaxChildSitemaps)] {
			resp, err := p.client.Get(ctx, fetch.Request{URL: child.Loc, Kind: fetch.KindSitemap, Header: src.Header})
			if err != nil {
				return res, fmt.Errorf("poll %s: child sitemap: %w", src.URL, err)
			}
			h.Write(resp.Body)
			res.Bytes += int64(len(resp.Body))
			sub, err := p.readSitemap(resp.Body, resp.URL, src, &res)
			if err != nil {
				return res, fmt.Errorf("poll %s: child sitemap %s: %w", src.URL, child.Loc, err)
			}
			if !sub.Index { // an index of indexes is not followed further
				entries = append(entries, sub.Entries...)
			}
		}
		res.State = State{Fingerprint: hex.EncodeToString(h.Sum(nil)[:12])}
		if res.State.Fingerprint == st.Fingerprint {
			res.NotModified = true
			return res, nil
		}
	}
	horizon := res.FetchedAt.Add(-p.cfg.SitemapMaxAge)
	for _, e := range sitemap.Newest(entries) {
		if d := e.Date(); !d.IsZero() && d.Before(horizon) {
			res.Old++
			continue
		}
		res.Items = append(res.Items, Item{Link: e.Loc, Title: e.Title, Published: e.Date()})
	}
	return res, nil
}

// readSitemap inflates (a .xml.gz), mends and parses one sitemap body.
func (p *Poller) readSitemap(body []byte, base string, src sources.Source, res *Result) (sitemap.Document, error) {
	body, err := sitemap.Gunzip(body, p.cfg.MaxDocBytes)
	if err != nil {
		return sitemap.Document{}, err
	}
	body, rep := mend.XML(body, mend.Hint{Override: src.Charset, Lang: src.Lang})
	res.Mended = mergeReports(res.Mended, rep)
	doc, err := sitemap.Parse(body, base)
	if err != nil {
		return doc, err
	}
	res.Skipped += doc.Skipped
	return doc, nil
}

// pollSection reads the article links off an HTML section page.
func (p *Poller) pollSection(ctx context.Context, src sources.Source, st State) (Result, error) {
	res, body, err := p.fetchDoc(ctx, src, fetch.KindSection, st)
	if err != nil || res.NotModified {
		return res, err
	}
	html, rep := mend.HTML(body, mend.Hint{Override: src.Charset, Header: res.charset, Lang: src.Lang})
	res.Mended = rep
	base, err := url.Parse(res.URL)
	if err != nil {
		return res, fmt.Errorf("poll %s: %w", src.URL, err)
	}
	links, err := section.Links(html, base, src.Selector)
	if err != nil {
		return res, fmt.Errorf("poll %s: %w", src.URL, err)
	}
	for _, l := range links {
		res.Items = append(res.Items, Item{Link: l.URL, Title: l.Text})
	}
	return res, nil
}

// mergeReports sums what was mended across an index's documents.
func mergeReports(a, b mend.Report) mend.Report {
	if a.Charset == "" {
		return b
	}
	a.Detected = a.Detected || b.Detected
	a.Replaced += b.Replaced
	a.Removed += b.Removed
	a.Escaped += b.Escaped
	return a
}
