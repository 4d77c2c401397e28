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
    m_atRecordStart = false;
    return out;
}

void CsvWriter::finishField(char* end)
{
    m_out.resize(end - m_out.constData());
}

void CsvWriter::addField(QStringView text)
{
    // UTF-8 needs at most three bytes per UTF-16 unit (a surrogate pair: four for two), and a
    // doubled quote two: three per unit always suffices.
    char* out = beginField(3 * text.size());
    if (!text.isEmpty() && startsLikeFormula(text.front().unicode()))
        *out++ = '\'';
    if (!needsQuotes(text)) {
        finishField(m_encoder.appendToBuffer(out, text));
        return;
    }
    *out++ = '"';
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
    if (!utf8.isEmpty() && startsLikeFormula(char16_t(utf8.front())))
        *out++ = '\'';
    if (!needsQuotes(utf8)) {
        std::memcpy(out, utf8.data(), std::size_t(utf8.size()));
        finishField(out + utf8.size());
        return;
    }
    *out++ = '"';
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
    addUtf8Field(QByteArrayView(digits, end - digits));
}

void CsvWriter::addField(std::uint64_t value)
{
    char digits[json::kMaxIntegerBytes];
    const char* end = json::writeUnsigned(digits, value);
    addUtf8Field(QByteArrayView(digits, end - digits));
}

void CsvWriter::addEmptyField()
{
    finishField(beginField(0));
}

void CsvWriter::endRecord()
{
    m_out.append("\r\n", 2);
    m_atRecordStart = true;
}

} // namespace breakwater
