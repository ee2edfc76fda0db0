package classifier

import "github.com/newspipe/newspipe/pkg/service"

// Declare declares the classifier's settings into ss, for bin/classifier
// and the all-in-one alike.
func (c *Config) Declare(ss *service.Settings) {
	ss.String(&c.TaxonomyFile, "taxonomy", "TAXONOMY_FILE", "", "taxonomy YAML overriding the embedded default")
	ss.Int(&c.Workers, "workers", "CLASSIFIER_WORKERS", 0, "concurrent classifications; 0 = one per CPU")
}
