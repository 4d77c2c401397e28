#include "sheetsrow.h"

#include "telemetry/csvwriter.h"
#include "telemetry/jsonencoding.h"

#include <QRandomGenerator>

#include <cmath>

namespace breakwater {

namespace {

// The column of each field, from the one list of names, so the order is written down once.
constexpr std::size_t columnOf(std::string_view name)
{
    for (std::size_t i = 0; i < kSheetsColumns.size(); ++i) {
        if (kSheetsColumns[i] == name)
            return i;
    }
    throw "no such column"; // only ever evaluated at compile time: a misspelt name does not build
}

namespace column {
constexpr std::size_t kEventId = columnOf("event_id");
constexpr std::size_t kTs = columnOf("ts");
constexpr std::size_t kLevel = columnOf("level");
constexpr std::size_t kEvent = columnOf("event");
constexpr std::size_t kService = columnOf("service");
constexpr std::size_t kCallId = columnOf("call_id");
constexpr std::size_t kAttempt = columnOf("attempt");
constexpr std::size_t kState = columnOf("state");
constexpr std::size_t kFromState = columnOf("from_state");
constexpr std::size_t kToState = columnOf("to_state");
constexpr std::size_t kReason = columnOf("reason");
constexpr std::size_t kLatencyMs = columnOf("latency_ms");
constexpr std::size_t kDelayMs = columnOf("delay_ms");
constexpr std::size_t kErrorKind = columnOf("error_kind");
constexpr std::size_t kHttpStatus = columnOf("http_status");
constexpr std::size_t kErrorCode = columnOf("error_code");
constexpr std::size_t kMessage = columnOf("message");
} // namespace column

SheetsCell text(QString value)
{
    if (value.size() > SheetsRowFormatter::kMaxCellLength) {
        qsizetype keep =
            SheetsRowFormatter::kMaxCellLength - SheetsRowFormatter::kTruncationMark.size();
        // Half a surrogate pair would become U+FFFD: cut before the pair instead.
        if (value.at(keep - 1).isHighSurrogate())
            --keep;
        value.truncate(keep);
        value += SheetsRowFormatter::kTruncationMark;
    }
    return {std::move(value), false};
}

SheetsCell number(QByteArrayView digits)
{
    return {QString::fromLatin1(digits), true};
}

SheetsCell integer(std::int64_t value)
{
    char digits[json::kMaxIntegerBytes];
    return number(QByteArrayView(digits, json::writeSigned(digits, value) - digits));
}

SheetsCell stateCell(const std::optional<BreakerState>& state)
{
    return state ? SheetsCell{breakerStateName(*state), false} : SheetsCell{};
}

} // namespace

SheetsEventSelection selectSheetsEvents(const QStringList& eventNames)
{
    SheetsEventSelection selection;
    for (const QString& name : eventNames) {
        if (const std::optional<EventType> type = eventTypeFromName(name))
            selection.set(std::size_t(*type));
    }
    return selection;
}

QString newSheetsRunId()
{
    const quint64 random = QRandomGenerator::system()->generate64() & 0xffff'ffff'ffffULL;
    return QStringLiteral("%1").arg(random, 12, 16, QLatin1Char('0'));
}

SheetsRowFormatter::SheetsRowFormatter(QString runId)
    : m_runId(std::move(runId))
{}

QString SheetsRowFormatter::eventId(const Event& event)
{
    if (event.sequence == 0)
        return m_runId + QStringLiteral("-u") + QString::number(++m_unsequenced);
    return m_runId + QLatin1Char('-') + QString::number(event.sequence);
}

SheetsRow SheetsRowFormatter::row(const Event& event)
{
    SheetsRow row;
    row[column::kEventId] = {eventId(event), false};
    char timestamp[IsoTimestampWriter::kLength];
    row[column::kTs] = {
        QString::fromLatin1(timestamp, m_timestamp.write(timestamp, event.time) - timestamp),
        false};
    row[column::kLevel] = {eventLevelName(event.level), false};
    row[column::kEvent] = {eventTypeName(event.type), false};
    row[column::kService] = text(event.service);
    row[column::kCallId] = {callIdText(event.callId), false};
    if (event.attempt != 0)
        row[column::kAttempt] = integer(event.attempt);
    row[column::kState] = stateCell(event.state);
    row[column::kFromState] = stateCell(event.fromState);
    row[column::kToState] = stateCell(event.toState);
    row[column::kReason] = text(event.reason);
    // As in app.log: a latency that is not a number is left out rather than written as "nan".
    if (event.latencyMs && std::isfinite(*event.latencyMs)) {
        char ms[json::kMaxMillisecondsBytes];
        row[column::kLatencyMs] =
            number(QByteArrayView(ms, json::writeMilliseconds(ms, *event.latencyMs) - ms));
    }
    if (event.delayMs)
        row[column::kDelayMs] = integer(*event.delayMs);
    if (event.errorKind)
        row[column::kErrorKind] = {errorKindName(*event.errorKind), false};
    if (event.httpStatus != 0)
        row[column::kHttpStatus] = integer(event.httpStatus);
    row[column::kErrorCode] = text(event.errorCode);
    row[column::kMessage] = text(event.message);
    return row;
}

QByteArray SheetsRowFormatter::toJson(const SheetsRow& row)
{
    std::size_t room = 2 + row.size();
    for (const SheetsCell& cell : row)
        room += json::maxStringBytes(cell.text.size());
    QByteArray out(qsizetype(room), Qt::Uninitialized);
    char* p = out.data();
    *p++ = '[';
    for (std::size_t i = 0; i < row.size(); ++i) {
        if (i > 0)
            *p++ = ',';
        const SheetsCell& cell = row[i];
        if (cell.isNumber && !cell.text.isEmpty()) {
            for (const QChar c : cell.text)
                *p++ = char(c.unicode()); // digits, '-' and '.': formatted here, never user text
        } else {
            p = json::writeString(p, cell.text);
        }
    }
    *p++ = ']';
    out.resize(p - out.constData());
    return out;
}

void SheetsRowFormatter::writeCsvRecord(CsvWriter& csv, const SheetsRow& row)
{
    for (const SheetsCell& cell : row) {
        if (cell.isNumber)
            csv.addNumberField(cell.text.toLatin1());
        else
            csv.addField(cell.text);
    }
    csv.endRecord();
}

void SheetsRowFormatter::writeCsvHeader(CsvWriter& csv)
{
    for (const std::string_view column : kSheetsColumns)
        csv.addUtf8Field(QByteArrayView(column.data(), qsizetype(column.size())));
    csv.endRecord();
}

} // namespace breakwater
