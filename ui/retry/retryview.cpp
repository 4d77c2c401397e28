#include "retryview.h"

#include "attemptsdistributionchart.h"
#include "retrytrackermodel.h"

#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace breakwater {
namespace {

QString windowText(std::chrono::seconds window)
{
    if (window.count() % 60 == 0)
        return QStringLiteral("%1 min").arg(window.count() / 60);
    return QStringLiteral("%1 s").arg(window.count());
}

} // namespace

RetryView::RetryView(QWidget* parent)
    : QWidget(parent)
    , m_model(new RetryTrackerModel(this))
    , m_summary(new QLabel(this))
    , m_table(new QTableView(this))
    , m_chart(new AttemptsDistributionChart(this))
{
    m_now = [this] {
        return std::max(std::chrono::system_clock::now(), m_distribution.latestEventTime());
    };

    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    // Fixed widths: sizing to contents would measure every row on each batch.
    QHeaderView* header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->resizeSection(RetryTrackerModel::CallColumn, 90);
    header->resizeSection(RetryTrackerModel::ServiceColumn, 90);
    header->resizeSection(RetryTrackerModel::StatusColumn, 190);
    header->resizeSection(RetryTrackerModel::AttemptsColumn, 70);
    header->resizeSection(RetryTrackerModel::ErrorsColumn, 170);
    header->resizeSection(RetryTrackerModel::DelaysColumn, 150);
    header->setStretchLastSection(true);

    m_chart->setTitle(QStringLiteral("Attempts per ended call, last ") +
                      windowText(m_distribution.window()));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_chart);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(splitter, 1);

    connect(&m_refreshTimer, &QTimer::timeout, this, [this] { refresh(); });
    m_refreshTimer.start(kRefreshInterval);
    refresh();
}

RetryView::~RetryView() = default;

void RetryView::appendEvents(std::span<const Event> events)
{
    m_model->appendEvents(events);
    m_distribution.appendEvents(events);
}

void RetryView::refresh()
{
    refresh(m_now());
}

void RetryView::refresh(WallTime now)
{
    const AttemptsDistribution::Counts counts = m_distribution.countsWithin(now);
    m_chart->setCounts(counts);

    const QLocale locale;
    const int retrying = m_model->activeCount();
    QString text = locale.toString(retrying) +
                   (retrying == 1 ? QStringLiteral(" call retrying now; ")
                                  : QStringLiteral(" calls retrying now; ")) +
                   locale.toString(qulonglong(AttemptsDistribution::retriedCalls(counts))) +
                   QStringLiteral(" needed a retry in the last ") +
                   windowText(m_distribution.window());
    if (const std::uint64_t dropped = m_model->droppedActiveCount(); dropped > 0) {
        text += QStringLiteral(" (") + locale.toString(qulonglong(dropped)) +
                QStringLiteral(" retrying calls not listed: more than ") +
                locale.toString(qulonglong(RetryTrackerModel::kDefaultActiveLimit)) +
                QStringLiteral(" at once)");
    }
    m_summary->setText(text);
}

void RetryView::setNowSource(NowSource now)
{
    if (now)
        m_now = std::move(now);
}

QString RetryView::summaryText() const
{
    return m_summary->text();
}

} // namespace breakwater
