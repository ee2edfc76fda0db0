module github.com/newspipe/newspipe/services/fetcher

go 1.26.8

require (
	github.com/newspipe/newspipe/pkg v0.0.0
	github.com/newspipe/newspipe/proto v0.0.0
)

require gopkg.in/yaml.v3 v3.0.1 // indirect

replace github.com/newspipe/newspipe/pkg => ../../pkg

replace github.com/newspipe/newspipe/proto => ../../proto
