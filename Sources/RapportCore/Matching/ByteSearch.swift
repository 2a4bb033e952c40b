/// Finding a run of bytes in another: what the wildcards and `RequiredText` look for in a message.
enum ByteSearch {
    /// Where `needle` first starts in `bytes[from..<to]` (to the end when `to` is nil).
    static func firstIndex(of needle: [UInt8], in bytes: [UInt8], from: Int = 0, to end: Int? = nil) -> Int? {
        let end = end ?? bytes.count
        guard let first = needle.first, needle.count <= end - from else { return nil }
        var start = from
        while start + needle.count <= end {
            if bytes[start] == first, bytes[start..<(start + needle.count)].elementsEqual(needle) { return start }
            start += 1
        }
        return nil
    }
}
