#include "flatjsonline.h"

#include <cstring>

namespace breakwater {

namespace {

int hexValue(char c) noexcept
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void appendUtf8(QByteArray& out, char32_t code)
{
    if (code < 0x80) {
        out.append(char(code));
    } else if (code < 0x800) {
        out.append(char(0xc0 | (code >> 6)));
        out.append(char(0x80 | (code & 0x3f)));
    } else if (code < 0x10000) {
        out.append(char(0xe0 | (code >> 12)));
        out.append(char(0x80 | ((code >> 6) & 0x3f)));
        out.append(char(0x80 | (code & 0x3f)));
    } else {
        out.append(char(0xf0 | (code >> 18)));
        out.append(char(0x80 | ((code >> 12) & 0x3f)));
        out.append(char(0x80 | ((code >> 6) & 0x3f)));
        out.append(char(0x80 | (code & 0x3f)));
    }
}

} // namespace

FlatJsonLine::FlatJsonLine(QByteArrayView line) noexcept
    : m_line(line)
{}

bool FlatJsonLine::fail() noexcept
{
    m_valid = false;
    m_done = true;
    return false;
}

void FlatJsonLine::skipSpace() noexcept
{
    while (m_pos < m_line.size() && (m_line[m_pos] == ' ' || m_line[m_pos] == '\t' ||
                                     m_line[m_pos] == '\r' || m_line[m_pos] == '\n'))
        ++m_pos;
}

// At the opening quote. The common case (no backslash) is a view into the line itself.
bool FlatJsonLine::readString(QByteArray& into, QByteArrayView& view)
{
    const char* const data = m_line.data();
    const qsizetype start = ++m_pos;
    qsizetype end = start;
    while (end < m_line.size() && data[end] != '"' && data[end] != '\\')
        ++end;
    if (end >= m_line.size())
        return fail();
    if (data[end] == '"') {
        view = QByteArrayView(data + start, end - start);
        m_pos = end + 1;
        return true;
    }
    into.resize(0);
    into.append(data + start, end - start);
    m_pos = end;
    while (m_pos < m_line.size()) {
        const char c = data[m_pos];
        if (c == '"') {
            ++m_pos;
            view = into;
            return true;
        }
        if (c != '\\') {
            into.append(c);
            ++m_pos;
            continue;
        }
        if (++m_pos >= m_line.size())
            return fail();
        const char e = data[m_pos++];
        switch (e) {
        case '"':
        case '\\':
        case '/':
            into.append(e);
            break;
        case 'b':
            into.append('\b');
            break;
        case 'f':
            into.append('\f');
            break;
        case 'n':
            into.append('\n');
            break;
        case 'r':
            into.append('\r');
            break;
        case 't':
            into.append('\t');
            break;
        case 'u': {
            const auto readHex = [this, data](char32_t& out) {
                if (m_pos + 4 > m_line.size())
                    return false;
                out = 0;
                for (int i = 0; i < 4; ++i) {
                    const int v = hexValue(data[m_pos + i]);
                    if (v < 0)
                        return false;
                    out = out * 16 + char32_t(v);
                }
                m_pos += 4;
                return true;
            };
            char32_t code = 0;
            if (!readHex(code))
                return fail();
            if (code >= 0xd800 && code < 0xdc00) { // a high surrogate wants its low half
                char32_t low = 0;
                if (m_pos + 2 <= m_line.size() && data[m_pos] == '\\' && data[m_pos + 1] == 'u') {
                    m_pos += 2;
                    if (!readHex(low))
                        return fail();
                }
                code = (low >= 0xdc00 && low < 0xe000)
                           ? 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00)
                           : char32_t(0xfffd);
            } else if (code >= 0xdc00 && code < 0xe000) {
                code = 0xfffd; // a low half alone
            }
            appendUtf8(into, code);
            break;
        }
        default:
            return fail();
        }
    }
    return fail();
}

bool FlatJsonLine::next()
{
    if (m_done)
        return false;
    skipSpace();
    if (!m_started) {
        if (m_pos >= m_line.size() || m_line[m_pos] != '{')
            return fail();
        ++m_pos;
        m_started = true;
        skipSpace();
        if (m_pos < m_line.size() && m_line[m_pos] == '}') {
            m_done = true;
            return false;
        }
    } else {
        if (m_pos < m_line.size() && m_line[m_pos] == '}') {
            m_done = true;
            return false;
        }
        if (m_pos >= m_line.size() || m_line[m_pos] != ',')
            return fail();
        ++m_pos;
        skipSpace();
    }
    if (m_pos >= m_line.size() || m_line[m_pos] != '"' || !readString(m_keyBuffer, m_key))
        return fail();
    skipSpace();
    if (m_pos >= m_line.size() || m_line[m_pos] != ':')
        return fail();
    ++m_pos;
    skipSpace();
    if (m_pos >= m_line.size())
        return fail();
    const char c = m_line[m_pos];
    if (c == '"') {
        m_kind = Kind::String;
        return readString(m_valueBuffer, m_value);
    }
    if (c == '{' || c == '[')
        return fail(); // app.log is flat
    const qsizetype start = m_pos;
    while (m_pos < m_line.size() && m_line[m_pos] != ',' && m_line[m_pos] != '}' &&
           m_line[m_pos] != ' ')
        ++m_pos;
    m_value = m_line.sliced(start, m_pos - start);
    const bool literal = m_value == "true" || m_value == "false" || m_value == "null";
    m_kind = literal ? Kind::Literal : Kind::Number;
    if (!literal && (m_value.isEmpty() || !(c == '-' || (c >= '0' && c <= '9'))))
        return fail();
    return true;
}

} // namespace breakwater
