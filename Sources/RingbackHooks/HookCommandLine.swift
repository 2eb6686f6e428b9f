/// Splits `[hooks] on_alert` into a program and its arguments. There is no shell: words are
/// separated by spaces, and a word in double quotes may contain spaces. A pipeline belongs
/// in a script.
public enum HookCommandLine {
    public static func words(_ text: String) -> [String]? {
        var words: [String] = []
        var current = ""
        var inQuotes = false
        var hasWord = false
        for ch in text {
            switch ch {
            case "\"":
                inQuotes.toggle()
                hasWord = true
            case " " where !inQuotes, "\t" where !inQuotes:
                if hasWord { words.append(current) }
                current = ""
                hasWord = false
            default:
                current.append(ch)
                hasWord = true
            }
        }
        guard !inQuotes else { return nil }
        if hasWord { words.append(current) }
        return words.isEmpty ? nil : words
    }
}
