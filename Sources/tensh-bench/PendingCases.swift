// Conv and autograd cases join once the convolution ops land.
func convCases() -> [BenchCase] { [] }
func autogradCases() -> [BenchCase] { [] }
