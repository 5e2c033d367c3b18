"""The partners app's forms: their shape only. What they mean is in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from .enums import (
    CONTACTED_WITHIN_MONTHS,
    NOT_CONTACTED_MONTHS,
    AdvisoryBody,
    AgreementKind,
    BackgroundCheck,
    InteractionKind,
    OfferKind,
    OrganizationKind,
    OrganizationSize,
    OrganizationStatus,
)
from .models import Contact, Organization, validate_agreement_file

zip_code = RegexValidator(r"^\d{5}(-\d{4})?$", _("Use a 5-digit ZIP code (or ZIP+4: 10001-1234)."))
phone_number = RegexValidator(
    r"^[0-9+().\-\s]{7,30}$", _("Use digits, spaces and + ( ) - only, for example 212-555-0100.")
)


class DateInput(forms.DateInput):
    """The browser's date picker; without it, people type 2026-05-31."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _sector_field(label: str, *, required: bool) -> forms.ModelMultipleChoiceField:
    from .selectors import sector_choices

    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=sector_choices(),
        required=required,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="slug",
    )


# The order the sign-up page shows its fields in (and its error summary lists them in).
SIGNUP_ORDER = [
    "organization_name",
    "kind",
    "size",
    "website",
    "description",
    "street_address",
    "city",
    "state",
    "postal_code",
    "phone",
    "sectors",
    "offers",
    "full_name",
    "email",
    "job_title",
    "contact_phone",
]


class SignupForm(forms.Form):
    """/partners/join/: the organization, its first contact and what it can offer, in one
    form. On error every field keeps what was typed."""

    organization_name = forms.CharField(label=_("Organization name"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind of organization"), choices=[("", _("Choose one")), *OrganizationKind.choices]
    )
    size = forms.ChoiceField(
        label=_("Size"), choices=[("", _("Choose one")), *OrganizationSize.choices]
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=300,
        assume_scheme="https",
        help_text=_("For example www.example.com."),
    )
    street_address = forms.CharField(label=_("Street address"), max_length=200, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    state = forms.CharField(label=_("State"), max_length=40, required=False, initial="NY")
    postal_code = forms.CharField(
        label=_("ZIP code"), max_length=10, required=False, validators=[zip_code]
    )
    phone = forms.CharField(
        label=_("Organization phone"), max_length=30, required=False, validators=[phone_number]
    )
    description = forms.CharField(
        label=_("About your organization"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you do, and why you want to work with CTE students (optional)."),
    )
    offers = forms.MultipleChoiceField(
        label=_("What you can offer"),
        choices=OfferKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose all that apply; you can change them later."),
    )
    full_name = forms.CharField(label=_("Your full name"), max_length=200)
    email = forms.EmailField(
        label=_("Your work e-mail address"),
        help_text=_("We send a link to this address to confirm it."),
    )
    job_title = forms.CharField(label=_("Your job title"), max_length=120, required=False)
    contact_phone = forms.CharField(
        label=_("Your phone"), max_length=30, required=False, validators=[phone_number]
    )

    def __init__(self, *args: Any, sector_label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sectors"] = _sector_field(
            _("Sectors you work in (%(label)s)") % {"label": sector_label}, required=True
        )
        self.fields["sectors"].error_messages["required"] = _("Choose at least one sector.")
        self.order_fields(SIGNUP_ORDER)

    def signup_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["sectors"] = list(data["sectors"])
        data["language"] = (get_language() or "en")[:2]
        return data


class ResendForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address you signed up with"))


class MailingListForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    full_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    language = forms.ChoiceField(
        label=_("Language of the e-mails"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = [code for code, _name in settings.LANGUAGES]
        current = (get_language() or "en")[:2]
        self.fields["language"].initial = current if current in codes else "en"


class InviteForm(forms.Form):
    full_name = forms.CharField(label=_("Colleague's full name"), max_length=200)
    email = forms.EmailField(label=_("Colleague's work e-mail address"))
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)


class OffersForm(forms.Form):
    """One group of boxes per sector of the organization: what it offers in each."""

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current: dict[int, list[str]] = {}
        for offer in organization.offers.all():
            current.setdefault(offer.sector_id, []).append(offer.kind)
        self.sectors = list(organization.sectors.all())
        for sector in self.sectors:
            self.fields[f"sector_{sector.pk}"] = forms.MultipleChoiceField(
                label=sector.name,
                choices=OfferKind.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                initial=current.get(sector.pk, []),
            )

    def offers(self) -> dict[int, list[str]]:
        return {s.pk: self.cleaned_data.get(f"sector_{s.pk}", []) for s in self.sectors}


class PartnerFilterForm(forms.Form):
    """The staff list's search and filters (GET): every field optional, they combine."""

    q = forms.CharField(
        label=_("Search by name, website, city or contact"), required=False, max_length=200
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any")), *OrganizationKind.choices]
    )
    size = forms.ChoiceField(
        label=_("Size"), required=False, choices=[("", _("Any")), *OrganizationSize.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *OrganizationStatus.choices]
    )
    offer = forms.ChoiceField(
        label=_("Offers"), required=False, choices=[("", _("Anything")), *OfferKind.choices]
    )
    advisory = forms.ChoiceField(
        label=_("Advisory seat"),
        required=False,
        choices=[
            ("", _("With or without")),
            ("yes", _("Holds a current seat")),
            ("no", _("Holds no current seat")),
        ],
    )
    contacted_within = forms.TypedChoiceField(
        label=_("Last interaction"), required=False, coerce=int, empty_value=None
    )
    not_contacted_in = forms.TypedChoiceField(
        label=_("Not contacted for"), required=False, coerce=int, empty_value=None
    )

    def __init__(
        self, *args: Any, sectors: list[tuple[str, str]], sector_label: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"] = forms.ChoiceField(
            label=sector_label, required=False, choices=[("", _("Any")), *sectors]
        )
        # Built here, not at import: each request reads them in its own language.
        self.fields["contacted_within"].choices = [
            ("", _("Any time or never")),
            *(
                (
                    m,
                    ngettext("Within the last month", "Within the last %(count)s months", m)
                    % {"count": m},
                )
                for m in CONTACTED_WITHIN_MONTHS
            ),
        ]
        self.fields["not_contacted_in"].choices = [
            ("", _("No limit")),
            *(
                (
                    m,
                    ngettext("%(count)s month or more", "%(count)s months or more", m)
                    % {"count": m},
                )
                for m in NOT_CONTACTED_MONTHS
            ),
        ]
        self.order_fields(["q", "sector"])

    def filters(self) -> dict[str, Any]:
        """The valid fields (an invalid one shows its error and is ignored)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return dict(self.cleaned_data)


class NotContactedForm(forms.Form):
    months = forms.IntegerField(
        label=_("Not contacted for at least (months)"), min_value=1, max_value=120, initial=6
    )


class StatusForm(forms.Form):
    """Staff's decision on a partner: the choices depend on where it is in its life."""

    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to decline. The contacts read it in the e-mail they receive."),
    )

    CHOICES = {
        OrganizationStatus.PENDING: [
            ("approve", _("Approve: the contacts may sign in")),
            ("decline", _("Decline")),
        ],
        OrganizationStatus.APPROVED: [
            ("suspend", _("Suspend: its contacts can no longer sign in")),
            ("archive", _("Archive: no longer a partner")),
        ],
        OrganizationStatus.SUSPENDED: [
            ("approve", _("Approve again")),
            ("archive", _("Archive: no longer a partner")),
        ],
        OrganizationStatus.ARCHIVED: [("approve", _("Approve again"))],
        OrganizationStatus.DECLINED: [("approve", _("Approve after all"))],
    }

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = self.CHOICES[OrganizationStatus(organization.status)]


class ContactDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("approve", _("Approve: they may sign in")), ("decline", _("Decline"))],
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to decline; the person reads it."),
    )


class InteractionForm(forms.Form):
    """Log an interaction in one form: what happened, and the next step with its owner."""

    occurred_on = forms.DateField(label=_("Date"), widget=DateInput)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Choose one")), *InteractionKind.choices]
    )
    summary = forms.CharField(
        label=_("What happened"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    next_step = forms.CharField(label=_("Next step"), max_length=300, required=False)
    next_step_due = forms.DateField(label=_("Next step due"), required=False, widget=DateInput)
    owner = forms.ModelChoiceField(
        label=_("Owner of the next step"), queryset=None, required=False, empty_label=_("Nobody")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .selectors import staff_members

        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_members()
        self.fields["occurred_on"].initial = timezone.localdate()

    def clean_occurred_on(self):
        value = self.cleaned_data["occurred_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("An interaction cannot be in the future."))
        return value


class AgreementForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Choose one")), *AgreementKind.choices]
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_on = forms.DateField(label=_("Starts"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends"), widget=DateInput)
    file = forms.FileField(
        label=_("Signed agreement"),
        help_text=_("PDF, Word (.docx), OpenDocument (.odt), PNG or JPEG, up to 10 MB."),
        validators=[validate_agreement_file],
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".pdf,.docx,.odt,.png,.jpg,.jpeg"

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The agreement must end after it starts."))
        return data


class AdvisorySeatForm(forms.Form):
    body = forms.ChoiceField(
        label=_("Body"), choices=AdvisoryBody.choices, widget=forms.RadioSelect
    )
    person_name = forms.CharField(label=_("Member's name"), max_length=200)
    person_title = forms.CharField(label=_("Member's job title"), max_length=200, required=False)
    contact = forms.ModelChoiceField(
        label=_("Contact in the portal"),
        queryset=Contact.objects.none(),
        required=False,
        empty_label=_("Not a portal contact"),
    )
    is_chair = forms.BooleanField(label=_("Chair"), required=False)
    starts_on = forms.DateField(label=_("Term starts"), widget=DateInput)
    ends_on = forms.DateField(label=_("Term ends"), required=False, widget=DateInput)
    listed = forms.BooleanField(
        label=_("The member agreed to be listed on the public sector page"), required=False
    )

    def __init__(self, *args: Any, organization: Organization, sector_label: str, **kwargs: Any):
        from .selectors import sector_choices

        super().__init__(*args, **kwargs)
        self.fields["sector"] = forms.ModelChoiceField(
            label=sector_label, queryset=sector_choices(), empty_label=_("Choose one")
        )
        self.fields["contact"].queryset = organization.contacts.select_related("user").order_by(
            "user__full_name"
        )
        self.fields["contact"].label_from_instance = lambda c: c.user.get_full_name()
        self.order_fields(["sector", "body"])

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The term must end after it starts."))
        return data


class OrganizationForm(forms.ModelForm):
    """Staff correct an organization's details and its insurance certificate's expiry."""

    website = forms.URLField(
        label=_("Website"), required=False, max_length=300, assume_scheme="https"
    )

    class Meta:
        model = Organization
        fields = [
            "name",
            "kind",
            "size",
            "website",
            "street_address",
            "city",
            "state",
            "postal_code",
            "phone",
            "description",
            "insurance_expires_on",
        ]
        widgets = {
            "insurance_expires_on": DateInput,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, sector_label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sectors"] = _sector_field(sector_label, required=False)
        if self.instance.pk and not self.is_bound:
            self.initial["sectors"] = [s.slug for s in self.instance.sectors.all()]
        self.fields["postal_code"].validators.append(zip_code)

    def validate_unique(self) -> None:
        # Duplicates are the service's rule (it names the other organization).
        return


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = [
            "job_title",
            "phone",
            "works_with_students",
            "background_check",
            "background_checked_on",
        ]
        widgets = {"background_checked_on": DateInput}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["background_check"].choices = BackgroundCheck.choices


class AgreementEditForm(AgreementForm):
    """Correct an agreement; a new file replaces the stored one, no file keeps it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].required = False
        self.fields["file"].label = _("Replace the signed agreement")
        self.fields["file"].help_text = _(
            "Leave empty to keep the current file. PDF, Word (.docx), OpenDocument (.odt), "
            "PNG or JPEG, up to 10 MB."
        )


class SeatEndForm(forms.Form):
    ends_on = forms.DateField(
        label=_("Last day of the term"),
        widget=DateInput,
        help_text=_("Today, or the day the member left."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ends_on"].initial = timezone.localdate()


class ContactRemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Why (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: left the organization. Kept with the contact's record."),
    )


class ConfirmForm(forms.Form):
    """A button and nothing else: the page says what pressing it does."""
