//! The story of one entry for a person (`faktura explain`): the facts used,
//! each rule tried in order and why it matched or not, and the arithmetic of
//! every amount. Pure: from the data set and the decided parts to text.

use crate::decide::{HeldReason, Outcome, Part, Priced, Rule, A, K};
use crate::model::*;
use crate::money::{money, percent};
use crate::price;
use rust_decimal::Decimal;
use std::fmt::Write;

fn hours(minutes: u32) -> String {
    percent(Decimal::from(minutes) / Decimal::from(60))
}

fn opt_date(d: Option<chrono::NaiveDate>, none: &str) -> String {
    d.map_or(none.to_string(), |d| d.to_string())
}

/// The explanation of entry `i` from its parts (all parts of the data set).
pub fn explain(
    ds: &Dataset,
    parts: &[Part],
    i: usize,
    rates_file: &str,
    surcharges_file: &str,
) -> String {
    let e = &ds.entries[i];
    let mine: Vec<&Part> = parts.iter().filter(|p| p.entry == i).collect();
    let mut s = String::new();
    let w = &mut s;
    let customer = ds.customers.get(ds.customer_of(e));
    let _ = writeln!(w, "Entry {} (timelog.csv:{})", e.id(), e.line);
    let _ = writeln!(
        w,
        "  {} {}-{} ({} min, F1), staff {}, customer {}{}",
        e.date,
        format_minute(e.start),
        format_minute(e.end),
        e.minutes(),
        ds.staff_of(e),
        ds.customer_of(e),
        customer.map_or(String::new(), |c| format!(" ({})", c.name))
    );
    let _ = writeln!(
        w,
        "  channel {}, responsibility {}, activity {}, ticket {}, approval {}, project {}",
        e.channel.map_or("-", Channel::as_str),
        e.responsibility.map_or("-", Responsibility::as_str),
        e.activity.map_or("-", Activity::as_str),
        e.ticket().unwrap_or("-"),
        ds.approval_id_of(e).map_or("-", |a| a.as_str()),
        ds.project_of(e).map_or("-", |p| p.as_str()),
    );
    let _ = writeln!(w, "  \"{}\"", e.description());

    // Facts.
    let _ = writeln!(w, "\nFacts");
    let contract = ds.contract_of(e);
    match contract {
        Some(c) => {
            let _ = writeln!(
                w,
                "  contract {} \"{}\" (contracts.csv:{}): active {}..{}, channels {}, {} a month, discount {} %",
                c.id,
                c.tier,
                c.line,
                c.start,
                opt_date(c.end, "open"),
                c.channels.iter().map(Channel::as_str).collect::<Vec<_>>().join(";"),
                c.included_minutes.map_or("unlimited hours".to_string(), |m| format!("{} h", hours(m))),
                percent(c.discount_percent)
            );
        }
        None => {
            let _ = writeln!(
                w,
                "  contract: none of customer {} active on {}",
                ds.customer_of(e),
                e.date
            );
        }
    }
    if let Some(used) = mine.iter().find_map(|p| p.quota_used_before.get()) {
        let limit = contract.and_then(|c| c.included_minutes);
        let _ = writeln!(
            w,
            "  contract hours {}-{:02}: {} min used before this entry (in date, start, entry_id order), {}",
            chrono::Datelike::year(&e.date),
            chrono::Datelike::month(&e.date),
            used,
            limit.map_or("no limit".to_string(), |l| format!("{} min left of {}", l.saturating_sub(used), l))
        );
    }
    if let Some(a) = ds.approval_of(e) {
        let _ = writeln!(
            w,
            "  approval {} (approvals.csv:{}): {}, customer {}, granted {}, valid until {}, ticket {}, max {}",
            a.id,
            a.line,
            a.kind.as_str(),
            a.customer,
            a.granted_on,
            opt_date(a.valid_until, "open"),
            a.ticket.as_deref().unwrap_or("any"),
            a.max_minutes.map_or("unlimited".to_string(), |m| format!("{} h ({m} min)", hours(m)))
        );
        if let Some(used) = mine.iter().find_map(|p| p.budget_used_before.get()) {
            let _ = writeln!(
                w,
                "  approval budget: {} min used by earlier billed parts, {}",
                used,
                a.max_minutes.map_or("no limit".to_string(), |m| format!(
                    "{} min left",
                    m.saturating_sub(used)
                ))
            );
        }
    }
    if let Some(ch) = e.channel {
        if let Some(r) = ds.rate_card.rate_on(ch.as_str(), e.date) {
            let _ = writeln!(
                w,
                "  rate {} ({}:{}): {} per {}, valid from {} (the latest on or before {}), increment {} min, minimum {} min",
                r.code, rates_file, r.line, money(r.price), r.unit.as_str(), r.valid_from, e.date, r.increment_minutes, r.minimum_minutes
            );
        }
        let day = ds.rate_card.day_kind(e.date);
        match price::surcharge_on(&ds.rate_card, e.date, e.start) {
            Some(sc) => {
                let _ = writeln!(
                    w,
                    "  surcharge {} ({}:{}): {} % ({}), {}-{} (F7: day {}, start {})",
                    sc.code,
                    surcharges_file,
                    sc.line,
                    percent(sc.percent),
                    sc.description,
                    format_minute(sc.from),
                    format_minute(sc.to),
                    day.as_str(),
                    format_minute(e.start)
                );
            }
            None => {
                let _ = writeln!(
                    w,
                    "  surcharge: none in force matches day {} at {} (0 %)",
                    day.as_str(),
                    format_minute(e.start)
                );
            }
        }
    }

    // Rules, in order.
    let _ = writeln!(
        w,
        "\nRules (the first that matches decides, docs/RULES.md section 4)"
    );
    for (_, line) in rule_story(ds, e, &mine, Language::En) {
        let _ = writeln!(w, "  {line}");
    }

    // Parts and arithmetic.
    let _ = writeln!(w, "\nParts");
    for p in &mine {
        let _ = writeln!(
            w,
            "  part {}: {} {}{}{}",
            p.part,
            p.rule,
            p.outcome.as_str(),
            p.reason
                .map_or(String::new(), |r| format!(" ({})", r.as_str())),
            p.minutes
                .get()
                .map_or(String::new(), |m| format!(", {m} min"))
        );
        if let Some(pr) = &p.priced {
            arithmetic(w, ds, p, pr);
        }
    }
    let total: Decimal = mine.iter().filter_map(|p| p.amount()).sum();
    let _ = writeln!(
        w,
        "\nBilled for this entry: {} {}",
        money(total),
        ds.company.currency
    );
    s
}

fn arithmetic(w: &mut String, ds: &Dataset, p: &Part, pr: &Priced) {
    let e = &ds.entries[p.entry];
    if p.rule == Rule::Travel {
        let _ = writeln!(
            w,
            "    travel (F12): amount = unit_price = round2({} * (100 - {}) / 100) = {}",
            money(pr.price),
            percent(pr.discount_percent),
            money(pr.unit_price)
        );
        return;
    }
    let raw = pr.price * (Decimal::ONE_HUNDRED + pr.surcharge_percent) / Decimal::ONE_HUNDRED
        * (Decimal::ONE_HUNDRED - pr.discount_percent)
        / Decimal::ONE_HUNDRED;
    let _ = writeln!(
        w,
        "    unit_price = round2({} * (100 + {}) / 100 * (100 - {}) / 100) = round2({}) = {}",
        money(pr.price),
        percent(pr.surcharge_percent),
        percent(pr.discount_percent),
        raw.normalize(),
        money(pr.unit_price)
    );
    if let (Some(m), Some(b), Some(a)) = (p.minutes.get(), p.billed_minutes.get(), p.amount()) {
        if let Some(r) = e
            .channel
            .and_then(|c| ds.rate_card.rate_on(c.as_str(), e.date))
        {
            let _ = writeln!(
                w,
                "    billed_minutes = max(ceil({m} / {}) * {}, {}) = {b} (F13)",
                r.increment_minutes, r.increment_minutes, r.minimum_minutes
            );
        }
        let raw = pr.unit_price * Decimal::from(b) / Decimal::from(60);
        let _ = writeln!(
            w,
            "    amount = round2({} * {b} / 60) = round2({}) = {}",
            money(pr.unit_price),
            raw.normalize(),
            money(a)
        );
    } else if p.outcome == Outcome::Held {
        let _ = writeln!(w, "    held: no billed minutes and no amount (F11); shown for the follow-up with the customer");
    }
}

/// The decision of one entry in words: the sentences of the rules that
/// matched and of the consent tested (A1..A3), as `explain` prints them
/// under "Rules", without the rules that did not match. `mine`: the
/// entry's parts. For the review page (RULES 15), in its language.
pub fn decision(ds: &Dataset, e: &Entry, mine: &[&Part], lang: Language) -> Vec<String> {
    rule_story(ds, e, mine, lang)
        .into_iter()
        .filter_map(|(matched, line)| matched.then_some(line))
        .collect()
}

/// Every rule tried, in order, with whether it decided (`true`) or was
/// passed over (`false`). The `explain` command speaks English; the review
/// page asks for its own language (only the matched lines are shown there,
/// so only they have a German wording; a passed-over line stays English).
fn rule_story(ds: &Dataset, e: &Entry, mine: &[&Part], lang: Language) -> Vec<(bool, String)> {
    let de = lang == Language::De;
    let day = |d: chrono::NaiveDate| crate::invoice::date_text(lang, d);
    let chan = |c: Channel| {
        if de {
            crate::invoice::channel_label(lang, c).to_string()
        } else {
            c.as_str().to_string()
        }
    };
    let mut v: Vec<(bool, String)> = Vec::new();
    if let Some(p) = ds.project_of(e) {
        v.push((true, if de {
            format!("K1 trifft zu: der Eintrag nennt das Projekt {p}; Aufwand im Projekt, nie nach Stunden abgerechnet (P6)")
        } else {
            format!("K1 matches: the entry names project {p}; effort on the project, never billed by the hour (P6)")
        }));
        return v;
    }
    v.push((false, "K1 no: no project_id".into()));
    let (Some(ch), Some(resp), Some(act)) = (e.channel, e.responsibility, e.activity) else {
        return v;
    };
    let tp = resp == Responsibility::ThirdParty;
    let referral = matches!(act, Activity::Diagnosis | Activity::Referral);
    let act_de = match act {
        Activity::Diagnosis => "Diagnose",
        Activity::Referral => "Verweis an den Verursacher",
        Activity::Fix => "Behebung",
        Activity::Support => "Unterstützung",
    };
    if tp && referral {
        v.push((
            true,
            if de {
                format!("K2 trifft zu: Fehler eines Dritten, {act_de}: Verweis, kostenfrei (P3)")
            } else {
                format!(
                    "K2 matches: third_party with {}: referral, free (P3)",
                    act.as_str()
                )
            },
        ));
        return v;
    }
    v.push((
        false,
        format!(
            "K2 no: needs third_party with diagnosis or referral (is {} with {})",
            resp.as_str(),
            act.as_str()
        ),
    ));
    if tp {
        v.push((
            true,
            if de {
                format!("K3 trifft zu: Fehler eines Dritten, {act_de}: kostenpflichtig (P4a, P4b)")
            } else {
                format!(
                    "K3 matches: third_party with {}: chargeable (P4a, P4b)",
                    act.as_str()
                )
            },
        ));
    } else {
        v.push((
            false,
            format!("K3 no: needs third_party (is {})", resp.as_str()),
        ));
        if resp == Responsibility::Tampering {
            v.push((
                true,
                if de {
                    "K4 trifft zu: Schaden durch unbefugten Eingriff: kostenpflichtig (P4c)".into()
                } else {
                    "K4 matches: tampering: chargeable (P4c)".into()
                },
            ));
        } else {
            v.push((false, "K4 no: not tampering".into()));
            match ds.contract_of(e) {
                None => {
                    v.push((
                        false,
                        format!(
                            "K5, K6, K7 no: no contract of {} active on {}",
                            ds.customer_of(e),
                            e.date
                        ),
                    ));
                    v.push((true, if de {
                        format!("K8 trifft zu: kein Wartungsvertrag von {} am {}: Support auf Abruf, kostenpflichtig (P5)", ds.customer_of(e), day(e.date))
                    } else {
                        "K8 matches: ours without contract: chargeable on demand (P5)".into()
                    }));
                }
                Some(c) if !c.channels.contains(ch) => {
                    v.push((
                        false,
                        format!("K5 no: contract {} does not cover {}", c.id, ch.as_str()),
                    ));
                    v.push((true, if de {
                        format!("K6 trifft zu: der Vertrag {} deckt den Kanal {} nicht ab: kostenpflichtig (P1)", c.id, chan(ch))
                    } else {
                        format!("K6 matches: channel {} not covered: chargeable (P1)", ch.as_str())
                    }));
                }
                Some(c) => {
                    let covered: u32 = mine
                        .iter()
                        .filter(|p| p.rule == Rule::Decided(K::K5, None))
                        .filter_map(|p| p.minutes.get())
                        .sum();
                    let total = e.minutes();
                    if covered == total {
                        v.push((true, if de {
                            format!("K5 trifft zu: der Vertrag {} deckt {} ab und hat Stunden übrig: alle {total} min abgedeckt, kostenfrei (P2)", c.id, chan(ch))
                        } else {
                            format!("K5 matches: contract {} covers {} and has hours left: all {total} min covered, free (P2)", c.id, ch.as_str())
                        }));
                    } else if covered > 0 {
                        v.push((true, if de {
                            format!("K5 trifft zu für {covered} min: das Kontingent endet in diesem Eintrag, geteilt auf die Minute (RULES 4)")
                        } else {
                            format!("K5 matches for {covered} min: the quota runs out inside this entry, split at the minute (RULES 4)")
                        }));
                        v.push((true, if de {
                            format!("K7 trifft zu für die übrigen {} min: Monatskontingent verbraucht, kostenpflichtige Mehrleistung (P1)", total - covered)
                        } else {
                            format!("K7 matches for the other {} min: monthly hours used up, chargeable overage (P1)", total - covered)
                        }));
                    } else {
                        v.push((
                            false,
                            format!(
                                "K5 no: contract {} covers {} but this month's hours are used up",
                                c.id,
                                ch.as_str()
                            ),
                        ));
                        v.push((true, if de {
                            format!("K7 trifft zu: das Monatskontingent des Vertrags {} ist verbraucht: kostenpflichtige Mehrleistung (P1)", c.id)
                        } else {
                            "K7 matches: overage, chargeable (P1)".into()
                        }));
                    }
                }
            }
        }
    }
    for p in mine
        .iter()
        .filter(|p| matches!(p.rule, Rule::Decided(_, Some(_))))
    {
        let Rule::Decided(_, Some(a)) = p.rule else {
            continue;
        };
        let approval = ds.approval_id_of(e).map_or("-", |a| a.as_str());
        let left = ds.approval_of(e).and_then(|a| a.max_minutes).map(|m| {
            m.saturating_sub(p.budget_used_before.get().unwrap_or(0))
                .to_string()
        });
        let text = match (a, p.reason, de) {
            (A::A1, _, false) => format!(
                "A1 part {}: approval {approval} valid (granted on or before {}, not expired, ticket fits) with {} min left: billable",
                p.part,
                e.date,
                left.unwrap_or_else(|| "unlimited".into())
            ),
            (A::A1, _, true) => format!(
                "A1 Teil {}: Freigabe {approval} gültig (erteilt am oder vor dem {}, nicht abgelaufen, Ticket passt), {}: abrechenbar",
                p.part,
                day(e.date),
                left.map_or_else(|| "ohne Stundenobergrenze".to_string(), |m| format!("{m} min übrig"))
            ),
            (A::A2, Some(r), false) => format!("A2 part {}: held, {} ({})", p.part, r.as_str(), a2_why(ds, e, r, lang)),
            (A::A2, Some(r), true) => format!("A2 Teil {}: zurückgehalten, {} ({})", p.part, held_reason_de(r), a2_why(ds, e, r, lang)),
            (A::A3, _, false) => format!(
                "A3 part {}: held, over-budget: the approval's max_hours are used up beyond this point (F10: the largest multiple of the increment that fits was billed)",
                p.part
            ),
            (A::A3, _, true) => format!(
                "A3 Teil {}: zurückgehalten, Budget überschritten: die Höchststunden der Freigabe sind ab hier verbraucht (F10: abgerechnet wurde das größte Vielfache des Takts, das hineinpasst)",
                p.part
            ),
            (A::A2, None, _) => continue,
        };
        v.push((true, text));
    }
    v
}

fn held_reason_de(r: HeldReason) -> &'static str {
    match r {
        HeldReason::NoApproval => "keine Freigabe",
        HeldReason::ApprovedAfterWork => "Freigabe nach der Arbeit",
        HeldReason::ApprovalExpired => "Freigabe abgelaufen",
        HeldReason::TicketMismatch => "anderes Ticket",
        HeldReason::OverBudget => "Budget überschritten",
    }
}

fn a2_why(ds: &Dataset, e: &Entry, r: HeldReason, lang: Language) -> String {
    let de = lang == Language::De;
    let day = |d: chrono::NaiveDate| crate::invoice::date_text(lang, d);
    let a = ds.approval_of(e);
    match (r, a) {
        (HeldReason::NoApproval, _) if de => "der Eintrag nennt keine Freigabe".into(),
        (HeldReason::NoApproval, _) => "the entry names no approval".into(),
        (HeldReason::ApprovedAfterWork, Some(a)) if de => format!(
            "Freigabe {} wurde am {} erteilt, nach der Arbeit am {}",
            a.id,
            day(a.granted_on),
            day(e.date)
        ),
        (HeldReason::ApprovedAfterWork, Some(a)) => format!(
            "approval {} was granted {}, after the work on {}",
            a.id, a.granted_on, e.date
        ),
        (HeldReason::ApprovalExpired, Some(a)) if de => format!(
            "Freigabe {} galt bis {}, vor der Arbeit am {}",
            a.id,
            a.valid_until.map_or("-".to_string(), day),
            day(e.date)
        ),
        (HeldReason::ApprovalExpired, Some(a)) => format!(
            "approval {} was valid until {}, before the work on {}",
            a.id,
            opt_date(a.valid_until, "-"),
            e.date
        ),
        (HeldReason::TicketMismatch, Some(a)) if de => format!(
            "Freigabe {} gilt für Ticket {}, der Eintrag ist für {}",
            a.id,
            a.ticket.as_deref().unwrap_or("-"),
            e.ticket().unwrap_or("kein Ticket")
        ),
        (HeldReason::TicketMismatch, Some(a)) => format!(
            "approval {} is for ticket {}, the entry is for {}",
            a.id,
            a.ticket.as_deref().unwrap_or("-"),
            e.ticket().unwrap_or("no ticket")
        ),
        _ => String::new(),
    }
}
