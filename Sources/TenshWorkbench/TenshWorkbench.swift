// TenshWorkbench module
