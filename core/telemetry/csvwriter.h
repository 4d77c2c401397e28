#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QStringEncoder>
#include <QStringView>

#include <cstdint>

namespace breakwater {

// Writes CSV records as RFC 4180 says, in UTF-8 without a BOM: fields joined by commas, records
// ended by CRLF, a field quoted when it holds a comma, a quote, CR or LF, with its quotes doubled.
// A record that is one empty field is written `""`: as a bare CRLF readers would skip it.
//
// The file is meant to be opened in spreadsheets, which run a cell starting with `=`, `+`, `-`
// or `@` as a formula (and some also after a leading tab or CR): a message from a remote server
// could then compute, fetch or exfiltrate. Such a text cell gets a leading `'` (inside the quotes
// when the field is quoted), which spreadsheets show as text and people read past, so every cell
// reads back as the text that went in with at most that `'` in front.
//
// Numbers the program formats itself (latencies, delays, HTTP statuses) are not text an attacker
// chose: "-250" is a number to every spreadsheet, not a formula, and a `'` would turn it into
// text that no longer sorts or sums. They go through addField(int64)/addField(uint64) or
// addNumberField(), which write them bare.
//
// Records are appended to the caller's buffer, which the caller empties (resize(0) keeps its
// memory) and reuses: a field costs one size check, no allocation of its own.
class CsvWriter final
{
public:
    explicit CsvWriter(QByteArray& out);
    Q_DISABLE_COPY_MOVE(CsvWriter)

    void addField(QStringView text);
    // Text already in UTF-8, such as the names of enum values; neutralised like addField().
    void addUtf8Field(QByteArrayView utf8);
    // Written bare, without the `'`, even when negative.
    void addField(std::int64_t value);
    void addField(std::uint64_t value);
    // A decimal number the caller formatted ("-12", "3.125"), written bare. Anything that is not
    // just an optional '-', digits and an optional fraction is written as text instead
    // (neutralised), so a caller's mistake cannot let a formula through.
    void addNumberField(QByteArrayView number);
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
    // So far the record is one field, with nothing in it: endRecord() writes it as "".
    bool m_onlyFieldIsEmpty = false;
    qsizetype m_fieldStart = 0; // offset of the current field's first byte in m_out
};

} // namespace breakwater
