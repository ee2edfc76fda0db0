package cleaner

import "github.com/newspipe/newspipe/pkg/service"

// Declare declares the cleaner's settings into ss, for bin/cleaner and the
// all-in-one alike. The page size cap is a stream setting
// (service.Common.MaxBodyBytes), shared with the fetcher.
func (c *Config) Declare(ss *service.Settings) {
	ss.Int(&c.Workers, "workers", "CLEANER_WORKERS", 0, "concurrent extractions; 0 = one per CPU")
}
