#include "alertfeedview.h"

#include "alertfeedmodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace breakwater {

AlertFeedView::AlertFeedView(QWidget* parent)
    : QWidget(parent)
    , m_model(new AlertFeedModel(this))
    , m_count(new QLabel(this))
    , m_table(new QTableView(this))
{
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    QHeaderView* header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->resizeSection(AlertFeedModel::TimeColumn, 80);
    header->resizeSection(AlertFeedModel::SeverityColumn, 90);
    header->resizeSection(AlertFeedModel::ServiceColumn, 100);
    header->resizeSection(AlertFeedModel::RuleColumn, 110);
    header->resizeSection(AlertFeedModel::SummaryColumn, 320);
    header->resizeSection(AlertFeedModel::StatusColumn, 220);
    header->setStretchLastSection(true);
    // What fired reads first; the service and rule are in the summary's words already.
    header->moveSection(header->visualIndex(AlertFeedModel::SummaryColumn), 2);
    header->moveSection(header->visualIndex(AlertFeedModel::StatusColumn), 3);

    m_details = new QLabel(this);
    m_details->setObjectName(QStringLiteral("alertDetails"));
    m_details->setWordWrap(true);
    m_details->setTextFormat(Qt::PlainText); // alert text comes from servers: never markup
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_details->setMinimumHeight(m_details->fontMetrics().lineSpacing() * 4);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_count);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_details);
    layout->addWidget(buildSilenceRow());

    connect(m_model, &AlertFeedModel::countsChanged, this, [this] {
        updateCount();
        updateDetails(); // the selected alert may have resolved or been delivered
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        updateDetails();
        updateSilenceButtons();
    });
    updateCount();
    updateDetails();
}

AlertFeedView::~AlertFeedView() = default;

void AlertFeedView::appendEvents(std::span<const Event> events)
{
    m_model->appendEvents(events);
}

QString AlertFeedView::countText() const
{
    return m_count->text();
}

QWidget* AlertFeedView::buildSilenceRow()
{
    auto* row = new QWidget(this);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);

    m_silence = new QToolButton(row);
    m_silence->setObjectName(QStringLiteral("silenceAlert"));
    m_silence->setText(tr("Silence…"));
    m_silence->setToolTip(tr("Stop sending the selected alert's rule for its service on every "
                             "channel; it still shows here and in the log"));
    m_silence->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(m_silence);
    const std::pair<QString, qint64> choices[] = {
        {tr("for 15 minutes"), 15 * 60'000}, {tr("for 1 hour"), 3'600'000},
        {tr("for 4 hours"), 4 * 3'600'000},  {tr("for 1 day"), 24 * 3'600'000},
        {tr("until Breakwater stops"), 0},
    };
    for (const auto& [label, ms] : choices) {
        QAction* action = menu->addAction(label);
        action->setData(ms);
        connect(action, &QAction::triggered, this, [this, duration = ms] {
            const QModelIndex current = m_table->selectionModel()->currentIndex();
            if (!current.isValid())
                return;
            const AlertFeedEntry& entry = m_model->entryAt(current.row());
            Q_EMIT silenceRequested(entry.rule, entry.service, duration);
        });
    }
    m_silence->setMenu(menu);

    m_unsilence = new QToolButton(row);
    m_unsilence->setObjectName(QStringLiteral("unsilenceAlert"));
    m_unsilence->setText(tr("Unsilence"));
    connect(m_unsilence, &QToolButton::clicked, this, [this] {
        const QModelIndex current = m_table->selectionModel()->currentIndex();
        if (!current.isValid())
            return;
        const AlertFeedEntry& entry = m_model->entryAt(current.row());
        Q_EMIT unsilenceRequested(entry.rule, entry.service);
    });

    m_silences = new QLabel(row);
    m_silences->setObjectName(QStringLiteral("activeSilences"));
    m_silences->setTextFormat(Qt::PlainText);
    m_silences->setWordWrap(true);
    layout->addWidget(m_silence);
    layout->addWidget(m_unsilence);
    layout->addWidget(m_silences, 1);
    showSilences({});
    return row;
}

void AlertFeedView::showSilences(const std::vector<Silence>& silences)
{
    m_activeSilences = silences;
    QStringList names;
    for (const Silence& silence : silences)
        names.append(describeSilence(silence));
    m_silences->setText(names.isEmpty() ? tr("No silences")
                                        : tr("Silenced: %1").arg(names.join(QStringLiteral("; "))));
    updateSilenceButtons();
}

QString AlertFeedView::silencesText() const
{
    return m_silences->text();
}

void AlertFeedView::updateSilenceButtons()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    const bool selected = current.isValid() && current.row() < m_model->rowCount();
    bool silenced = false;
    if (selected) {
        const AlertFeedEntry& entry = m_model->entryAt(current.row());
        silenced = std::any_of(m_activeSilences.begin(), m_activeSilences.end(),
                               [&entry](const Silence& s) {
                                   return s.rule == entry.rule && s.service == entry.service;
                               });
    }
    m_silence->setEnabled(selected);
    m_unsilence->setEnabled(silenced);
}

QString AlertFeedView::detailsText() const
{
    return m_details->text();
}

void AlertFeedView::updateDetails()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (!current.isValid() || current.row() >= m_model->rowCount()) {
        m_details->setText(tr("Select an alert to see its details."));
        return;
    }
    m_details->setText(m_model->entryAt(current.row()).detailText());
}

void AlertFeedView::updateCount()
{
    const QLocale locale;
    if (m_model->rowCount() == 0) {
        m_count->setText(QStringLiteral("No alerts"));
        return;
    }
    QString text = locale.toString(m_model->firingCount()) + QStringLiteral(" firing, ") +
                   locale.toString(m_model->resolvedCount()) + QStringLiteral(" resolved");
    if (m_model->evictedCount() > 0)
        text += QStringLiteral(" (") + locale.toString(qulonglong(m_model->evictedCount())) +
                QStringLiteral(" older alerts no longer listed)");
    m_count->setText(text);
}

} // namespace breakwater
