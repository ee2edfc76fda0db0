package extract

func extractHTML(in Input) (*Article, error) { return nil, ErrEmpty }
