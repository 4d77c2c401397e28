#include "jsonencoding.h"

#include <QChar>

#include <charconv>

namespace breakwater::json {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

char* writeEscaped(char* out, char16_t c) noexcept
{
    *out++ = '\\';
    switch (c) {
    case u'"':
        *out++ = '"';
        return out;
    case u'\\':
        *out++ = '\\';
        return out;
    case u'\n':
        *out++ = 'n';
        return out;
    case u'\r':
        *out++ = 'r';
        return out;
    case u'\t':
        *out++ = 't';
        return out;
    default:
        break;
    }
    out[0] = 'u';
    out[1] = '0';
    out[2] = '0';
    out[3] = kHexDigits[c >> 4];
    out[4] = kHexDigits[c & 0xf];
    return out + 5;
}

char* writeUtf8(char* out, char32_t codePoint) noexcept
{
    if (codePoint < 0x800) {
        out[0] = char(0xc0 | (codePoint >> 6));
        out[1] = char(0x80 | (codePoint & 0x3f));
        return out + 2;
    }
    if (codePoint < 0x10000) {
        out[0] = char(0xe0 | (codePoint >> 12));
        out[1] = char(0x80 | ((codePoint >> 6) & 0x3f));
        out[2] = char(0x80 | (codePoint & 0x3f));
        return out + 3;
    }
    out[0] = char(0xf0 | (codePoint >> 18));
    out[1] = char(0x80 | ((codePoint >> 12) & 0x3f));
    out[2] = char(0x80 | ((codePoint >> 6) & 0x3f));
    out[3] = char(0x80 | (codePoint & 0x3f));
    return out + 4;
}

} // namespace

char* writeString(char* out, QStringView text) noexcept
{
    *out++ = '"';
    const char16_t* it = text.utf16();
    const char16_t* const end = it + text.size();
    while (it != end) {
        const char16_t c = *it++;
        if (c < 0x80) {
            if (c >= 0x20 && c != u'"' && c != u'\\')
                *out++ = char(c);
            else
                out = writeEscaped(out, c);
        } else if (!QChar::isSurrogate(c)) {
            out = writeUtf8(out, c);
        } else if (QChar::isHighSurrogate(c) && it != end && QChar::isLowSurrogate(*it)) {
            out = writeUtf8(out, QChar::surrogateToUcs4(c, *it++));
        } else {
            out = writeUtf8(out, QChar::ReplacementCharacter);
        }
    }
    *out++ = '"';
    return out;
}

char* writeUnsigned(char* out, std::uint64_t value) noexcept
{
    return std::to_chars(out, out + kMaxIntegerBytes, value).ptr;
}

char* writeSigned(char* out, std::int64_t value) noexcept
{
    return std::to_chars(out, out + kMaxIntegerBytes, value).ptr;
}

char* writeMilliseconds(char* out, double value) noexcept
{
    char* const start = out;
    char* end =
        std::to_chars(out, out + kMaxMillisecondsBytes, value, std::chars_format::fixed, 3).ptr;
    // to_chars wrote exactly three decimals: drop the zeros among them, then a bare point.
    while (end[-1] == '0')
        --end;
    if (end[-1] == '.')
        --end;
    // A tiny negative value rounds to "-0", which says nothing "0" does not.
    if (end - start == 2 && start[0] == '-' && start[1] == '0') {
        start[0] = '0';
        end = start + 1;
    }
    return end;
}

} // namespace breakwater::json
