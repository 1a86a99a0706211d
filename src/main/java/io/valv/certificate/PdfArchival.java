package io.valv.certificate;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Calendar;
import java.util.Collection;

import javax.xml.transform.TransformerException;

import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentCatalog;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.common.PDMetadata;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.graphics.color.PDOutputIntent;
import org.apache.xmpbox.XMPMetadata;
import org.apache.xmpbox.schema.AdobePDFSchema;
import org.apache.xmpbox.schema.DublinCoreSchema;
import org.apache.xmpbox.schema.PDFAIdentificationSchema;
import org.apache.xmpbox.schema.XMPBasicSchema;
import org.apache.xmpbox.type.BadFieldValueException;
import org.apache.xmpbox.xml.XmpSerializer;

/**
 * Makes the certificate a PDF/A-3b document (ISO 19005-3, level B): the file a DPO keeps for years and opens
 * in whatever reader exists then. What PDF/A asks of it beyond what the layout already does (every font
 * embedded): XMP metadata that identifies the conformance and mirrors the document information, an output
 * intent that says what its RGB means (sRGB, the profile every JDK carries), and each attachment declared an
 * associated file of the document. The CMS-signed JSON is the certificate itself in machine-readable form,
 * hence its relationship {@code Alternative}. veraPDF checks the result (CertificatePdfTest).
 */
final class PdfArchival {

    static final String SRGB = "sRGB IEC61966-2.1";

    private PdfArchival() {
    }

    static void apply(PDDocument pdf, Collection<PDComplexFileSpecification> associated) throws IOException {
        PDDocumentCatalog catalog = pdf.getDocumentCatalog();
        PDDocumentInformation info = pdf.getDocumentInformation();
        catalog.setMetadata(metadata(pdf, info));

        PDOutputIntent intent = new PDOutputIntent(pdf,
                new ByteArrayInputStream(ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData()));
        intent.setInfo(SRGB);
        intent.setOutputCondition(SRGB);
        intent.setOutputConditionIdentifier(SRGB);
        intent.setRegistryName("http://www.color.org");
        catalog.addOutputIntent(intent);

        COSArray files = new COSArray();
        for (PDComplexFileSpecification spec : associated) {
            spec.getCOSObject().setName(COSName.getPDFName("AFRelationship"), "Alternative");
            spec.getEmbeddedFile().setModDate(info.getCreationDate());
            spec.getEmbeddedFile().setCreationDate(info.getCreationDate());
            files.add(spec);
        }
        catalog.getCOSObject().setItem(COSName.getPDFName("AF"), files);
    }

    /** The XMP packet: the same title, author, subject, tool and date as the document information, and pdfaid. */
    private static PDMetadata metadata(PDDocument pdf, PDDocumentInformation info) throws IOException {
        XMPMetadata xmp = XMPMetadata.createXMPMetadata();
        DublinCoreSchema dc = xmp.createAndAddDublinCoreSchema();
        dc.setTitle(info.getTitle());
        if (info.getAuthor() != null) {
            dc.addCreator(info.getAuthor());
        }
        if (info.getSubject() != null) {
            dc.addDescription(null, info.getSubject());
        }
        XMPBasicSchema basic = xmp.createAndAddXMPBasicSchema();
        basic.setCreatorTool(info.getCreator());
        Calendar created = info.getCreationDate();
        basic.setCreateDate(created);
        if (info.getProducer() != null) {
            AdobePDFSchema adobe = xmp.createAndAddAdobePDFSchema();
            adobe.setProducer(info.getProducer());
        }
        PDFAIdentificationSchema id = xmp.createAndAddPDFAIdentificationSchema();
        try {
            id.setPart(3);
            id.setConformance("B");
        } catch (BadFieldValueException e) {
            throw new IllegalStateException(e);
        }
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        try {
            new XmpSerializer().serialize(xmp, packet, true);
        } catch (TransformerException e) {
            throw new IOException("could not write the XMP metadata", e);
        }
        PDMetadata metadata = new PDMetadata(pdf);
        metadata.importXMPMetadata(packet.toByteArray());
        return metadata;
    }
}
