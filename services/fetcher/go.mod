module github.com/newspipe/newspipe/services/fetcher

go 1.26.8

require (
	github.com/newspipe/newspipe/pkg v0.0.0
	github.com/newspipe/newspipe/proto v0.0.0
)

require (
	github.com/mmcdole/gofeed v1.4.2 // indirect
	github.com/mmcdole/goxpp/v2 v2.0.0 // indirect
	golang.org/x/net v0.62.0 // indirect
	golang.org/x/text v0.43.0 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)

replace github.com/newspipe/newspipe/pkg => ../../pkg

replace github.com/newspipe/newspipe/proto => ../../proto
