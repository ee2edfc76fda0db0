package extract

import "golang.org/x/net/html"

type pageMeta struct{}

func collectMeta(root *html.Node, url string) *pageMeta { return &pageMeta{} }

func (m *pageMeta) apply(a *Article, d *dom) {}
