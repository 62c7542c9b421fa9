// TenshLanguage module
