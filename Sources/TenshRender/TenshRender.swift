// TenshRender module
