package main

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// distinctPages is how many different pages the site renders; article k
// is page k mod distinctPages under its own URL (the id is the URL's).
const distinctPages = 256

// release is a run of articles made visible in the feeds: n articles from
// index first, at rate per second from at (rate 0: all at once).
type release struct {
	first, n int
	rate     float64
	at       time.Time
}

type siteState struct {
	mu       sync.Mutex
	releases []release
	next     int
	hosts    int
}

// released returns the articles of host h visible now, newest first, at
// most limit.
func (s *siteState) released(h, limit int) []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	var out []int
	for i := len(s.releases) - 1; i >= 0 && len(out) < limit; i-- {
		r := s.releases[i]
		visible := r.n
		if r.rate > 0 {
			visible = min(r.n, int(now.Sub(r.at).Seconds()*r.rate))
		}
		for k := r.first + visible - 1; k >= r.first && len(out) < limit; k-- {
			if k%s.hosts == h {
				out = append(out, k)
			}
		}
	}
	return out
}

// serveSite serves the site on hosts loopback addresses, writes "host N
// ADDR" for each and "ready" to w, and serves until its stdin closes.
func serveSite(hosts, pageKB int, w io.Writer) error {
	pages := make([]string, distinctPages)
	for i := range pages {
		pages[i] = page(i%hosts, i, pageKB)
	}
	st := &siteState{hosts: hosts}
	for h := range hosts {
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.%d:0", h+1))
		if err != nil {
			return fmt.Errorf("listen on host %d: %w", h+1, err)
		}
		mux := http.NewServeMux()
		base := "http://" + ln.Addr().String()
		mux.HandleFunc("/feed.xml", func(rw http.ResponseWriter, _ *http.Request) {
			rw.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
			var b strings.Builder
			b.WriteString(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Coastal Courier</title><link>` + base + `/</link><description>bench</description>` + "\n")
			for _, k := range st.released(h, 400) {
				fmt.Fprintf(&b, "<item><title>%s</title><link>%s/a/%d.html</link><guid>%s/a/%d.html</guid></item>\n",
					html.EscapeString(fmt.Sprint("Story ", k)), base, k, base, k)
			}
			b.WriteString("</channel></rss>\n")
			_, _ = io.WriteString(rw, b.String())
		})
		mux.HandleFunc("/a/", func(rw http.ResponseWriter, r *http.Request) {
			k, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/a/"), ".html"))
			if err != nil || k < 0 {
				http.NotFound(rw, r)
				return
			}
			rw.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = io.WriteString(rw, pages[k%distinctPages])
		})
		mux.HandleFunc("/release", func(rw http.ResponseWriter, r *http.Request) {
			n, _ := strconv.Atoi(r.URL.Query().Get("n"))
			rate, _ := strconv.ParseFloat(r.URL.Query().Get("rate"), 64)
			st.mu.Lock()
			st.releases = append(st.releases, release{first: st.next, n: n, rate: rate, at: time.Now()})
			st.next += n
			st.mu.Unlock()
		})
		srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
		go func() { _ = srv.Serve(ln) }()
		fmt.Fprintf(w, "host %d %s\n", h+1, ln.Addr())
	}
	fmt.Fprintln(w, "ready")
	// The parent holds our stdin: its end is ours.
	_, _ = io.Copy(io.Discard, bufio.NewReader(os.Stdin))
	return nil
}
