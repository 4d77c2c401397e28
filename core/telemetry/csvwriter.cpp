#include "csvwriter.h"

#include "jsonencoding.h"

#include <algorithm>
#include <cstring>

namespace breakwater {
namespace {

constexpr bool isSpecial(char16_t c) noexcept
{
    return c == u',' || c == u'"' || c == u'\r' || c == u'\n';
}

bool needsQuotes(QStringView text) noexcept
{
    return std::any_of(text.begin(), text.end(), [](QChar c) { return isSpecial(c.unicode()); });
}

bool needsQuotes(QByteArrayView text) noexcept
{
    return std::any_of(text.begin(), text.end(), [](char c) { return isSpecial(char16_t(c)); });
}

constexpr bool isDigit(char c) noexcept
{
    return c >= '0' && c <= '9';
}

// -?[0-9]+(\.[0-9]+)?: a cell every spreadsheet reads as a number constant, never as a formula.
bool isPlainNumber(QByteArrayView text) noexcept
{
    const char* p = text.begin();
    const char* const end = text.end();
    if (p != end && *p == '-')
        ++p;
    const char* const digits = p;
    while (p != end && isDigit(*p))
        ++p;
    if (p == digits)
        return false;
    if (p == end)
        return true;
    if (*p++ != '.')
        return false;
    const char* const fraction = p;
    while (p != end && isDigit(*p))
        ++p;
    return p != fraction && p == end;
}

} // namespace

CsvWriter::CsvWriter(QByteArray& out)
    : m_out(out)
{}

char* CsvWriter::beginField(qsizetype maxFieldBytes)
{
    const qsizetype start = m_out.size();
    // Qt 6 grows a QByteArray geometrically, and a shorter resize keeps the capacity: once the
    // buffer has held one batch, fields only write into memory it already has.
    m_out.resize(start + kFieldOverhead + maxFieldBytes);
    char* out = m_out.data() + start;
    if (!m_atRecordStart)
        *out++ = ',';
    m_onlyFieldIsEmpty = m_atRecordStart;
    m_atRecordStart = false;
    m_fieldStart = out - m_out.constData();
    return out;
}

void CsvWriter::finishField(char* end)
{
    const qsizetype size = end - m_out.constData();
    if (size != m_fieldStart)
        m_onlyFieldIsEmpty = false;
    m_out.resize(size);
}

void CsvWriter::addField(QStringView text)
{
    // UTF-8 needs at most three bytes per UTF-16 unit (a surrogate pair: four for two), and a
    // doubled quote two: three per unit always suffices.
    char* out = beginField(3 * text.size());
    const bool neutralise = !text.isEmpty() && startsLikeFormula(text.front().unicode());
    if (!needsQuotes(text)) {
        if (neutralise)
            *out++ = '\'';
        finishField(m_encoder.appendToBuffer(out, text));
        return;
    }
    // The `'` goes inside the quotes: a quoted field must begin with its quote, or readers take
    // the quotes for text and the field's commas and line breaks for the record's.
    *out++ = '"';
    if (neutralise)
        *out++ = '\'';
    for (qsizetype quote; (quote = text.indexOf(u'"')) >= 0; text = text.sliced(quote + 1)) {
        out = m_encoder.appendToBuffer(out, text.first(quote));
        *out++ = '"';
        *out++ = '"';
    }
    out = m_encoder.appendToBuffer(out, text);
    *out++ = '"';
    finishField(out);
}

void CsvWriter::addUtf8Field(QByteArrayView utf8)
{
    char* out = beginField(2 * utf8.size());
    const bool neutralise = !utf8.isEmpty() && startsLikeFormula(char16_t(utf8.front()));
    if (!needsQuotes(utf8)) {
        if (neutralise)
            *out++ = '\'';
        if (!utf8.isEmpty()) // an empty view may have no data at all, and memcpy wants some
            std::memcpy(out, utf8.data(), std::size_t(utf8.size()));
        finishField(out + utf8.size());
        return;
    }
    *out++ = '"'; // the `'` inside the quotes, as in addField()
    if (neutralise)
        *out++ = '\'';
    for (const char c : utf8) {
        *out++ = c;
        if (c == '"')
            *out++ = '"';
    }
    *out++ = '"';
    finishField(out);
}

void CsvWriter::addField(std::int64_t value)
{
    char digits[json::kMaxIntegerBytes];
    const char* end = json::writeSigned(digits, value);
    addNumberField(QByteArrayView(digits, end - digits));
}

void CsvWriter::addField(std::uint64_t value)
{
    char digits[json::kMaxIntegerBytes];
    const char* end = json::writeUnsigned(digits, value);
    addNumberField(QByteArrayView(digits, end - digits));
}

void CsvWriter::addNumberField(QByteArrayView number)
{
    if (!isPlainNumber(number)) {
        addUtf8Field(number);
        return;
    }
    // Digits, '-' and '.' never need quotes.
    char* out = beginField(number.size());
    if (!number.isEmpty())
        std::memcpy(out, number.data(), std::size_t(number.size()));
    finishField(out + number.size());
}

void CsvWriter::addEmptyField()
{
    finishField(beginField(0));
}

void CsvWriter::endRecord()
{
    // A record of one empty field would be a blank line, which readers skip as no record at all.
    if (m_onlyFieldIsEmpty)
        m_out.append("\"\"", 2);
    m_out.append("\r\n", 2);
    m_atRecordStart = true;
    m_onlyFieldIsEmpty = false;
}

} // namespace breakwater
