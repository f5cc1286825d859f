package core

// Version is this library's version. It is part of the User-Agent header
// ("cxreports-go/<Version>") and is reported by the C ABI.
const Version = "0.1.0"
