#include "logcsvexport.h"

#include "csvwriter.h"
#include "eventcsv.h"
#include "flatjsonline.h"
#include "isotimestampwriter.h"

#include <QFile>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <vector>

namespace breakwater {

namespace {

constexpr qsizetype kChunk = 1024 * 1024;
// A line longer than this is not one Breakwater wrote (its messages are cut far below it).
constexpr qsizetype kMaxLine = 4 * 1024 * 1024;

constexpr std::size_t kColumnCount = EventCsvFormatter::kColumns.size();
// The columns the log writes as JSON numbers; written bare, not neutralised as text would be.
constexpr std::array<std::string_view, 4> kNumberColumns = {"attempt", "latency_ms", "delay_ms",
                                                            "http_status"};

int columnOf(QByteArrayView key)
{
    for (std::size_t i = 0; i < kColumnCount; ++i) {
        const std::string_view name = EventCsvFormatter::kColumns[i];
        if (key.size() == qsizetype(name.size()) &&
            std::memcmp(key.data(), name.data(), name.size()) == 0)
            return int(i);
    }
    return -1;
}

struct Fields
{
    std::array<QByteArray, kColumnCount> values; // reused from line to line
    std::array<bool, kColumnCount> present{};
    std::array<bool, kColumnCount> isString{};
};

class LineConverter
{
public:
    LineConverter(CsvWriter& csv, const LogCsvFilter& filter)
        : m_csv(csv)
    {
        if (filter.since) {
            char text[IsoTimestampWriter::kLength];
            IsoTimestampWriter writer;
            m_since = QByteArray(text, writer.write(text, *filter.since) - text);
        }
        for (const QString& name : filter.events)
            m_events.append(name.toUtf8());
        m_service = filter.service.toUtf8();
        for (std::size_t i = 0; i < kColumnCount; ++i)
            m_isNumber[i] = std::find(kNumberColumns.begin(), kNumberColumns.end(),
                                      EventCsvFormatter::kColumns[i]) != kNumberColumns.end();
    }

    // false: not a log line.
    bool convert(QByteArrayView line, bool& kept)
    {
        kept = false;
        m_fields.present.fill(false);
        FlatJsonLine json(line);
        while (json.next()) {
            const int column = columnOf(json.key());
            if (column < 0)
                continue; // "seq" and fields a newer Breakwater adds
            QByteArray& value = m_fields.values[std::size_t(column)];
            value.resize(0); // keeps its capacity for the next line
            value.append(json.value().data(), json.value().size());
            m_fields.present[std::size_t(column)] =
                json.kind() != FlatJsonLine::Kind::Literal || json.value() != "null";
            m_fields.isString[std::size_t(column)] = json.kind() == FlatJsonLine::Kind::String;
        }
        if (!json.isValid() || !m_fields.present[kTs] || !m_fields.present[kEvent])
            return false;
        if (!keeps())
            return true;
        for (std::size_t i = 0; i < kColumnCount; ++i) {
            if (!m_fields.present[i])
                m_csv.addEmptyField();
            else if (m_isNumber[i] && !m_fields.isString[i])
                m_csv.addNumberField(m_fields.values[i]);
            else
                m_csv.addUtf8Field(m_fields.values[i]);
        }
        m_csv.endRecord();
        kept = true;
        return true;
    }

private:
    static constexpr std::size_t kTs = 0;
    static constexpr std::size_t kEvent = 2;
    static constexpr std::size_t kService = 3;

    bool keeps() const
    {
        // The log's timestamps are all of one fixed ISO form, so text order is time order.
        if (!m_since.isEmpty() && m_fields.values[kTs] < m_since)
            return false;
        if (!m_service.isEmpty() &&
            (!m_fields.present[kService] || m_fields.values[kService] != m_service))
            return false;
        return m_events.isEmpty() || m_events.contains(m_fields.values[kEvent]);
    }

    CsvWriter& m_csv;
    QByteArray m_since;
    QByteArray m_service;
    QByteArrayList m_events;
    std::array<bool, kColumnCount> m_isNumber{};
    Fields m_fields;
};

} // namespace

LogCsvExportResult exportLogAsCsv(const QStringList& logFiles, QIODevice& out,
                                  const LogCsvFilter& filter)
{
    LogCsvExportResult result;
    QByteArray buffer;
    buffer.reserve(kChunk + 64 * 1024);
    CsvWriter csv(buffer);
    EventCsvFormatter().writeHeader(csv);
    LineConverter converter(csv, filter);
    const auto drain = [&](bool always) {
        if (!always && buffer.size() < kChunk)
            return true;
        if (out.write(buffer) != buffer.size()) {
            result.error = QStringLiteral("cannot write the CSV: ") + out.errorString();
            return false;
        }
        buffer.resize(0);
        return true;
    };

    // Every file is opened before any is read: a running agent may rotate while the export goes
    // on, and an open file keeps its content through a rename or an unlink. One that went between
    // the listing and now was rotated out of the kept files: nothing left of it to export.
    std::vector<std::unique_ptr<QFile>> files;
    for (const QString& path : logFiles) {
        auto file = std::make_unique<QFile>(path);
        if (file->open(QIODevice::ReadOnly))
            files.push_back(std::move(file));
        else if (file->exists()) {
            result.error = QStringLiteral("cannot read %1: %2").arg(path, file->errorString());
            return result;
        }
    }

    QByteArray chunk;
    QByteArray carry; // the start of a line the last chunk cut
    for (const std::unique_ptr<QFile>& opened : files) {
        QFile& file = *opened;
        carry.resize(0);
        while (true) {
            chunk = file.read(kChunk);
            const bool atEnd = chunk.isEmpty();
            if (atEnd && carry.isEmpty())
                break;
            if (!carry.isEmpty()) {
                carry.append(chunk);
                chunk.swap(carry);
                carry.resize(0);
            }
            qsizetype start = 0;
            while (start < chunk.size()) {
                const char* newline = static_cast<const char*>(std::memchr(
                    chunk.constData() + start, '\n', std::size_t(chunk.size() - start)));
                if (!newline && !atEnd) {
                    carry = chunk.mid(start); // finished by the next chunk
                    break;
                }
                const qsizetype end = newline ? newline - chunk.constData() : chunk.size();
                const QByteArrayView line(chunk.constData() + start, end - start);
                start = end + 1;
                if (line.trimmed().isEmpty())
                    continue;
                ++result.linesRead;
                bool kept = false;
                if (line.size() > kMaxLine || !converter.convert(line, kept))
                    ++result.linesSkipped;
                else if (kept)
                    ++result.rowsWritten;
                if (!drain(false))
                    return result;
            }
            if (carry.size() > kMaxLine) { // a line without an end that never stops
                ++result.linesSkipped;
                carry.resize(0);
            }
            if (atEnd)
                break;
        }
    }
    drain(true);
    return result;
}

} // namespace breakwater
