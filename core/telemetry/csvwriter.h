#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QStringEncoder>
#include <QStringView>

#include <cstdint>

namespace breakwater {

// Writes CSV records as RFC 4180 says, in UTF-8: fields joined by commas, records ended by CRLF,
// a field quoted when it holds a comma, a quote, CR or LF, with its quotes doubled.
//
// The file is meant to be opened in spreadsheets, which run a cell starting with `=`, `+`, `-`
// or `@` as a formula (and some also after a leading tab or CR): a message from a remote server
// could then compute, fetch or exfiltrate. Such a cell gets a leading `'`, which spreadsheets
// show as text and people read past, so every cell reads back as the text that went in.
//
// Records are appended to the caller's buffer, which the caller empties (resize(0) keeps its
// memory) and reuses: a field costs one size check, no allocation of its own.
class CsvWriter final
{
public:
    explicit CsvWriter(QByteArray& out);
    Q_DISABLE_COPY_MOVE(CsvWriter)

    void addField(QStringView text);
    // Text already in UTF-8, such as names and numbers the caller formatted.
    void addUtf8Field(QByteArrayView utf8);
    void addField(std::int64_t value);
    void addField(std::uint64_t value);
    void addEmptyField();
    void endRecord();

    // Whether a field with this first UTF-16 unit gets the `'` prefix.
    static constexpr bool startsLikeFormula(char16_t first) noexcept
    {
        return first == u'=' || first == u'+' || first == u'-' || first == u'@' || first == u'\t' ||
               first == u'\r';
    }

private:
    // Room for the separator, the `'` prefix and the quotes around a field.
    static constexpr qsizetype kFieldOverhead = 4;

    char* beginField(qsizetype maxFieldBytes);
    void finishField(char* end);

    QByteArray& m_out;
    QStringEncoder m_encoder{QStringEncoder::Utf8, QStringConverter::Flag::Stateless};
    bool m_atRecordStart = true;
};

} // namespace breakwater
